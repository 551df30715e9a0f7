import { briefOf, type DescribedAction } from '../actions';
import type { Comparability, FollowUp, ItemFigures, ItemReport, RoundReport } from './report.types';
import { figuresOf } from './round-report';
import { isComparable } from './comparison';

/**
 * The follow-up of actions in a round report (DESIGN.md): each action the team agreed after its
 * previous round of this questionnaire, with its item's figures in that round and now, where the
 * questionnaire's lineage says the item still means the same. Pure, built from reports that
 * have already applied the anonymity rule, so it can show no figure that either report would
 * not: below k on either side, neither figure is shown.
 */

function itemFiguresOf(item: ItemReport): ItemFigures | null {
  const figures = figuresOf(item);
  if (item.suppressed || !figures || figures.mean === null) return null;
  return {
    n: item.n,
    mean: figures.mean,
    consensus: figures.consensus,
    lean: item.kind === 'tension' ? item.lean : null,
  };
}

/**
 * One action's follow-up in `current`, given the report of the round it came from and what
 * lineage says of each item between the two rounds' questionnaire versions.
 */
export function followUpOf(
  described: DescribedAction,
  source: RoundReport | null,
  current: RoundReport,
  today: string,
  comparability: Comparability,
): FollowUp {
  const brief = briefOf(described, today);
  const none = { before: null, after: null, change: null, towardsTarget: null };
  const itemId = described.item?.id;
  if (!itemId) return { ...brief, comparison: null, ...none };
  const then = source?.items.find((i) => i.itemId === itemId);
  const now = current.items.find((i) => i.itemId === itemId);
  // CASE: an id in both rounds of questionnaires that share no history (`absent`) is no
  // question the current round asks again, whatever its words.
  if (!then || !now || comparability[itemId]?.change === 'absent') {
    return { ...brief, comparison: 'not-asked', ...none };
  }
  if (!isComparable(comparability, then, now)) {
    return { ...brief, comparison: 'not-comparable', ...none };
  }
  if (then.suppressed || now.suppressed) return { ...brief, comparison: 'below-k', ...none };
  const before = itemFiguresOf(then);
  const after = itemFiguresOf(now);
  if (!before || !after) return { ...brief, comparison: 'no-figures', ...none };
  const change = after.mean - before.mean;
  const pole = described.action.pole;
  return {
    ...brief,
    comparison: 'compared',
    before,
    after,
    change,
    towardsTarget:
      pole && now.kind === 'tension' ? (pole === 'right' ? change > 0 : change < 0) : null,
  };
}
