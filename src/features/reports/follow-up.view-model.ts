import { newActionUrl } from '../actions';
import type { ActionBrief, FollowUp } from './follow-up';
import { fmt, signed } from './format';

/**
 * What the report's action blocks need: each action in words, and for a follow-up its item's
 * figures then and now as sentences a coach can read out in the workshop.
 */

const COMPARISON_TEXT = {
  'not-comparable': 'Not comparable: the item changed in a new version of the questionnaire.',
  'below-k':
    'Not compared: too few people answered this item in one of the two rounds to show figures.',
  'not-asked': 'This round’s questionnaire does not ask this item.',
} as const;

const actionUrl = (id: string) => `/actions/${encodeURIComponent(id)}`;

export function briefView(a: ActionBrief) {
  return {
    id: a.id,
    url: actionUrl(a.id),
    title: a.title,
    status: a.status,
    overdue: a.overdue,
    owner: a.owner,
    dueOn: a.dueOn,
    sourceRound: a.sourceRound,
    itemText: a.item ? `${a.item.number}. ${a.item.title}` : null,
    itemId: a.item?.id ?? null,
    poleText:
      a.pole && a.item
        ? `towards “${(a.pole === 'left' ? a.item.left : a.item.right) ?? ''}”`
        : null,
  };
}

export function followUpView(f: FollowUp) {
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
    ...briefView(f),
    figures,
    verdict:
      f.towardsTarget === null || !target
        ? null
        : f.towardsTarget
          ? `Moved towards “${target}”.`
          : `Did not move towards “${target}”.`,
    towards: f.towardsTarget,
    /** The item's place in this report, when this round asks it. */
    anchor: f.item && f.comparison !== 'not-asked' ? `#item-${f.item.id}` : null,
    note: f.comparison && f.comparison !== 'compared' ? COMPARISON_TEXT[f.comparison] : null,
  };
}

/** The link under an item of the report: agree an action on it (coaches, screen only). */
export function agreeUrl(teamId: string, roundId: string, itemId: string | null): string {
  return newActionUrl(teamId, { roundId, ...(itemId ? { itemId } : {}) });
}
