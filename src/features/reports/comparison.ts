import type { RoundReport, TensionItemReport } from './report.types';
import { figuresOf } from './round-report';
import type { Lean } from './statistics';

/**
 * Comparison and trend models, built only from round reports, which have already applied the
 * anonymity rule: a suppressed report or item contributes no figure here either.
 */

export type DimensionCell = Readonly<{
  suppressed: boolean;
  /** Maturity dimensions: the score on 0–100. */
  score100: number | null;
  /** The mean consensus of the dimension's items (the heat map's second channel). */
  consensus: number | null;
}>;

const average = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

export function dimensionCell(report: RoundReport, key: string): DimensionCell {
  const dimension = report.dimensions.find((d) => d.key === key);
  const items = report.items.filter((i) => i.dimension === key && !i.suppressed);
  if (!dimension || report.suppressed || dimension.suppressed) {
    return { suppressed: true, score100: null, consensus: null };
  }
  return {
    suppressed: false,
    score100: dimension.score100,
    consensus: average(
      items.flatMap((i) => {
        const consensus = figuresOf(i)?.consensus;
        return typeof consensus === 'number' ? [consensus] : [];
      }),
    ),
  };
}

export type TensionPosition = Readonly<{
  itemId: string;
  mean: number | null;
  desiredMean: number | null;
  lean: Lean | null;
}>;

export function tensionPositions(report: RoundReport): TensionPosition[] {
  return report.items
    .filter((i): i is TensionItemReport => i.kind === 'tension')
    .map((i) => ({
      itemId: i.itemId,
      mean: i.suppressed ? null : (i.figures?.mean ?? null),
      desiredMean: i.suppressed ? null : (i.desired?.mean ?? null),
      lean: i.suppressed ? null : i.lean,
    }));
}

/** Neutral labels for the names-hidden mode: Team A, Team B, … (then AA, AB, …). */
export function neutralLabel(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const label =
    index < 26 ? letters[index] : `${letters[Math.floor(index / 26) - 1]}${letters[index % 26]}`;
  return `Team ${label}`;
}
