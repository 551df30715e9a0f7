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
