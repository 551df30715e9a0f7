import type {
  Comparability,
  ItemReport,
  NotCompared,
  RoundReport,
  TensionItemReport,
} from './report.types';
import { figuresOf } from './round-report';
import type { Lean } from './statistics';

/**
 * Comparison and trend models, built only from round reports, which have already applied the
 * anonymity rule: a suppressed report or item contributes no figure here either.
 */

/**
 * Whether an item's figures in two rounds can be compared: the questionnaire's lineage says its
 * meaning is the same in both (unchanged or only reworded), and its answers are on the same
 * scale, since means on scales of different sizes say nothing about a move.
 */
export function isComparable(
  comparability: Comparability,
  then: ItemReport,
  now: ItemReport,
): boolean {
  return (
    comparability[now.itemId]?.comparable === true &&
    then.kind === now.kind &&
    pointsOf(then) === pointsOf(now)
  );
}

const pointsOf = (item: ItemReport) => (item.kind === 'dcf' ? 0 : item.points);

/** The items of both reports whose figures cannot be compared, in `current`'s order. */
export function notComparableItems(
  previous: RoundReport,
  current: RoundReport,
  comparability: Comparability,
): NotCompared[] {
  const before = new Map(previous.items.map((i) => [i.itemId, i]));
  return current.items.flatMap((item) => {
    const then = before.get(item.itemId);
    return then && !isComparable(comparability, then, item)
      ? [{ itemId: item.itemId, number: item.number, title: item.title }]
      : [];
  });
}

/**
 * The report whose labels a comparison or trend shows (items and dimensions of the others are
 * matched to it by id and key): the one of the newest questionnaire version.
 */
export function referenceOf(reports: readonly RoundReport[]): RoundReport | undefined {
  return [...reports].sort((a, b) => b.questionnaire.version - a.questionnaire.version)[0];
}

/**
 * Rounds to compare, with per round the ids of its items that are not comparable with the
 * comparison's reference (a comparison) or with the round before (a trend).
 */
export type Compared = Readonly<{
  reports: readonly RoundReport[];
  notComparable: readonly (readonly string[])[];
}>;

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
