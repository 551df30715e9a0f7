import type { ItemKind } from '../questionnaires';

export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const POLES = ['left', 'right'] as const;
export type Pole = (typeof POLES)[number];

/**
 * What a team agreed to change after a round (DESIGN.md). It names the round it came from and,
 * optionally, the item it targets, so the next round's report can show that item then and now.
 */
export type Action = Readonly<{
  id: string;
  workspaceId: string;
  teamId: string;
  sourceRoundId: string;
  /** The item of the source round's questionnaire it targets; null for a general action. */
  itemId: string | null;
  /** Tensions: the pole the team wants to move towards. */
  pole: Pole | null;
  title: string;
  /** Free text: a name, or "the team". */
  owner: string | null;
  /** A calendar day (YYYY-MM-DD), no time: "due on the 14th" means the whole day. */
  dueOn: string | null;
  status: ActionStatus;
  notes: string;
  createdAt: Date;
  updatedAt: Date;
}>;

/** Open and past its due day (the day itself is not overdue). `today` is YYYY-MM-DD (UTC). */
export function isOverdue(action: Pick<Action, 'status' | 'dueOn'>, today: string): boolean {
  return action.status === 'open' && action.dueOn !== null && action.dueOn < today;
}

export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** The item an action targets, in words: as the report of its round numbers and names it. */
export type ItemRef = Readonly<{
  id: string;
  number: number;
  kind: ItemKind;
  title: string;
  /** Tensions: the poles' labels. */
  left: string | null;
  right: string | null;
}>;

/** An action with what a person reads beside it: its round and its item. */
export type DescribedAction = Readonly<{
  action: Action;
  sourceRound: Readonly<{ id: string; title: string; startedAt: Date }>;
  item: ItemRef | null;
}>;

/** What reports, lists and exports show of an action (no workspace or team ids). */
export type ActionBrief = Readonly<{
  id: string;
  title: string;
  owner: string | null;
  dueOn: string | null;
  status: ActionStatus;
  overdue: boolean;
  notes: string;
  pole: Pole | null;
  sourceRound: Readonly<{ id: string; title: string }>;
  item: ItemRef | null;
}>;

/** What every view of an action shows as it is stored, with whether it is overdue `today`. */
export function agreedFieldsOf(action: Action, today: string) {
  return {
    pole: action.pole,
    title: action.title,
    owner: action.owner,
    dueOn: action.dueOn,
    status: action.status,
    overdue: isOverdue(action, today),
    notes: action.notes,
  };
}

export function briefOf(described: DescribedAction, today: string): ActionBrief {
  const { action, sourceRound } = described;
  return {
    id: action.id,
    ...agreedFieldsOf(action, today),
    sourceRound: { id: sourceRound.id, title: sourceRound.title },
    item: described.item,
  };
}
