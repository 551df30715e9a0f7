import type { ActionBrief } from '../actions';
import type {
  Comparability,
  ItemReport,
  Move,
  NotCompared,
  ReportSummary,
  RoundReport,
} from './report.types';
import { discussContextOf, figuresOf } from './round-report';
import { isComparable } from './comparison';

/**
 * The summary that opens a round report: what a coach puts on the wall to start a workshop.
 * Pure, built from reports that have already applied the anonymity rule, so it can show no
 * figure that the report itself would not.
 */

/** How many discuss items and moves since the previous round the summary lists. */
export const SUMMARY_TOP = 5;

const meanOf = (item: ItemReport | undefined) =>
  item && !item.suppressed ? (figuresOf(item)?.mean ?? null) : null;

/**
 * Moves of every item with figures in both rounds whose meaning is the same in both (lineage:
 * `same` or `reworded`); the others with figures are listed as not compared.
 */
export function movesBetween(
  previous: RoundReport,
  current: RoundReport,
  comparability: Comparability,
): { moves: Move[]; notComparable: NotCompared[] } {
  const before = new Map(previous.items.map((i) => [i.itemId, i]));
  const notComparable: NotCompared[] = [];
  const moves = current.items.flatMap((item): Move[] => {
    const then = before.get(item.itemId);
    const a = meanOf(then);
    const b = meanOf(item);
    // Only items on a scale have a mean: a dcf item never moves.
    if (!then || a === null || b === null || item.kind === 'dcf') return [];
    if (!isComparable(comparability, then, item)) {
      notComparable.push({ itemId: item.itemId, number: item.number, title: item.title });
      return [];
    }
    return [
      {
        itemId: item.itemId,
        number: item.number,
        kind: item.kind,
        title: item.title,
        before: a,
        after: b,
        change: b - a,
        points: item.points,
        leanBefore: then.kind === 'tension' ? then.lean : null,
        leanAfter: item.kind === 'tension' ? item.lean : null,
        left: item.kind === 'tension' ? item.left.label : null,
        right: item.kind === 'tension' ? item.right.label : null,
      },
    ];
  });
  return { moves, notComparable };
}

/** The report's summary; `previous` with what lineage says of each item between the two. */
export function summarize(
  report: RoundReport,
  previous: Readonly<{ report: RoundReport; comparability: Comparability }> | null,
  openActions: readonly ActionBrief[] = [],
): ReportSummary {
  const shown = report.items.filter((i) => !i.suppressed);
  const compared = previous
    ? movesBetween(previous.report, report, previous.comparability)
    : { moves: [], notComparable: [] };
  // Ranked by the share of each item's scale, so a 7-point tension and a 5-level item compare.
  const ranked = compared.moves
    .filter((m) => m.change !== 0)
    .map((m) => ({ m, size: Math.abs(m.change) / (m.points - 1) }))
    .sort((x, y) => y.size - x.size)
    .map((x) => x.m);
  return {
    n: report.n,
    expected: report.participation.expected,
    responseRate: report.participation.responseRate,
    minGroupSize: report.round.minGroupSize,
    belowK: report.suppressed,
    dimensions: report.dimensions.flatMap((d) =>
      d.score100 === null || d.suppressed
        ? []
        : [{ key: d.key, label: d.label, score100: d.score100 }],
    ),
    tensions: shown.flatMap((i) =>
      i.kind === 'tension' && typeof i.figures?.mean === 'number'
        ? [
            {
              itemId: i.itemId,
              number: i.number,
              title: i.title,
              left: i.left.label,
              right: i.right.label,
              mean: i.figures.mean,
              desiredMean: i.desired?.mean ?? null,
              lean: i.lean,
            },
          ]
        : [],
    ),
    ratings: shown.flatMap((i) =>
      i.kind === 'practice' && typeof i.figures?.mean === 'number'
        ? [{ itemId: i.itemId, number: i.number, title: i.title, mean: i.figures.mean }]
        : [],
    ),
    dcf: shown.flatMap((i) =>
      i.kind === 'dcf' && i.atRiskShare !== null
        ? [
            {
              itemId: i.itemId,
              title: i.title,
              atRiskShare: i.atRiskShare,
              respondents: i.n,
              disputed: discussContextOf(i).disputed,
            },
          ]
        : [],
    ),
    discuss: report.discuss.slice(0, SUMMARY_TOP),
    moreToDiscuss: Math.max(0, report.discuss.length - SUMMARY_TOP),
    previous: previous
      ? {
          roundId: previous.report.round.id,
          title: previous.report.round.title,
          openedAt: previous.report.round.openedAt,
          n: previous.report.n,
          suppressed: previous.report.suppressed,
          version: previous.report.questionnaire.version,
          versionChanged: previous.report.questionnaire.version !== report.questionnaire.version,
        }
      : null,
    changes: ranked.slice(0, SUMMARY_TOP),
    notComparable: compared.notComparable.length,
    notComparableItems: compared.notComparable,
    openActions,
  };
}
