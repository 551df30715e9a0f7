/**
 * A live session (DESIGN.md, Live session): a coach runs a round in a meeting. It collects
 * answers (only the count leaves the server), then is revealed (the round closes; refused below
 * k in an anonymous round), stepped through by the facilitator, and ended.
 */
export const SESSION_STATES = ['collecting', 'revealed', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** A session ends by itself this long after it started (a meeting forgotten open). */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export type Session = Readonly<{
  id: string;
  workspaceId: string;
  roundId: string;
  state: SessionState;
  /**
   * After the reveal, what the room sees: 0 the summary, 1..n the n-th item in discuss-first
   * order. Null while collecting.
   */
  step: number | null;
  /** Grows with each change of state or step: events carry it, so a client can resume. */
  version: number;
  startedAt: Date;
  revealedAt: Date | null;
  endedAt: Date | null;
}>;

/** The state now: a session past its lifetime has ended, even if nobody ended it. */
export function effectiveState(session: Pick<Session, 'state' | 'startedAt'>, now: Date) {
  if (
    session.state !== 'ended' &&
    now.getTime() - session.startedAt.getTime() >= SESSION_LIFETIME_MS
  )
    return 'ended';
  return session.state;
}
