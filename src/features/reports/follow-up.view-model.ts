import { toActionRow } from '../actions';
import type { Comparison, FollowUp } from './follow-up';
import { fmt, signed } from './format';

/**
 * What the report's action blocks need: each action as every list shows it, and for a
 * follow-up its item's figures then and now as sentences a coach can read out in the workshop.
 */

const COMPARISON_TEXT: Readonly<Record<Exclude<Comparison, 'compared'>, string>> = {
  'not-comparable': 'Not comparable: the item changed in a new version of the questionnaire.',
  'below-k':
    'Not compared: too few people answered this item in one of the two rounds to show figures.',
  'no-figures': 'This item has no figures to compare (its answers are texts or classifications).',
  'not-asked': 'This round’s questionnaire does not ask this item.',
};

export function followUpView(f: FollowUp, options: { itemsShown: boolean }) {
  const target = f.pole && f.item ? (f.pole === 'left' ? f.item.left : f.item.right) : null;
  const figures =
    f.comparison === 'compared' && f.before && f.after
      ? [
          `Mean ${fmt(f.before.mean)} → ${fmt(f.after.mean)} (${signed(f.change ?? 0)})`,
          `consensus ${fmt(f.before.consensus)} → ${fmt(f.after.consensus)}`,
          ...(f.before.lean && f.after.lean ? [`lean ${f.before.lean} → ${f.after.lean}`] : []),
        ].join(' · ')
      : null;
  return {
    ...toActionRow(f),
    figures,
    verdict:
      f.towardsTarget === null || !target
        ? null
        : f.towardsTarget
          ? `Moved towards “${target}”.`
          : `Did not move towards “${target}”.`,
    towards: f.towardsTarget,
    note: f.comparison && f.comparison !== 'compared' ? COMPARISON_TEXT[f.comparison] : null,
    /** The item's place in this report, when this report shows its items. */
    anchor:
      f.item && options.itemsShown && f.comparison !== 'not-asked' ? `#item-${f.item.id}` : null,
  };
}
