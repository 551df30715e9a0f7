import { toActionRow } from '../actions';
import type { Comparison, FollowUp } from './report.types';
import { fmt, signed } from './format';

/**
 * What the report's action blocks need: each action as every list shows it, and for a
 * follow-up its item's figures then and now as sentences a coach can read out in the workshop.
 */

const COMPARISON_TEXT: Readonly<Record<Exclude<Comparison, 'compared'>, string>> = {
  'not-comparable':
    'Not comparable: a new version of the questionnaire changed the meaning of this item, so its answers then and now are not compared.',
  'below-k':
    'Not compared: too few people answered this item in one of the two rounds to show figures.',
  'no-figures': 'This item has no figures to compare (its answers are texts or classifications).',
  'not-asked': 'This round’s questionnaire does not ask this item.',
};

/**
 * Whether the team moved towards the action's pole, and what its consensus did meanwhile:
 * a move bought with a split team is no plain success, so it is never told (nor coloured) as
 * one. Consensus is compared as printed (two decimals), so words and figures agree.
 */
export function followUpVerdict(f: FollowUp, target: string) {
  const hundredths = (c: number | null | undefined) =>
    c === null || c === undefined ? null : Math.round(c * 100);
  const before = hundredths(f.before?.consensus);
  const after = hundredths(f.after?.consensus);
  const consensus =
    before === null || after === null || before === after ? null : after < before ? 'fell' : 'rose';
  if (f.towardsTarget) {
    return consensus === 'fell'
      ? { text: `Moved towards “${target}”, but consensus fell.`, tone: 'mixed' as const }
      : {
          text: `Moved towards “${target}”${consensus === 'rose' ? ' and consensus rose' : ''}.`,
          tone: 'yes' as const,
        };
  }
  const also =
    consensus === 'fell' ? ', and consensus fell' : consensus === 'rose' ? '; consensus rose' : '';
  return { text: `Did not move towards “${target}”${also}.`, tone: 'no' as const };
}

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
  const verdict = f.towardsTarget === null || !target ? null : followUpVerdict(f, target);
  return {
    ...toActionRow(f),
    figures,
    verdict: verdict?.text ?? null,
    /** `yes`, `mixed` (moved, but consensus fell) or `no`: the verdict's colour. */
    tone: verdict?.tone ?? null,
    note: f.comparison && f.comparison !== 'compared' ? COMPARISON_TEXT[f.comparison] : null,
    /** The item's place in this report, when this report shows its items. */
    anchor:
      f.item && options.itemsShown && f.comparison !== 'not-asked' ? `#item-${f.item.id}` : null,
  };
}
