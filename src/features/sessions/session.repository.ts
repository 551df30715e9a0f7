import type { Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { sessionModel, type SessionDoc } from './session.model';
import type { Session, SessionState } from './session.types';

const toSession = (d: SessionDoc): Session => ({
  id: d._id,
  workspaceId: d.workspaceId,
  roundId: d.roundId,
  state: d.state,
  step: d.step,
  version: d.version,
  startedAt: d.startedAt,
  revealedAt: d.revealedAt,
  endedAt: d.endedAt,
});

/**
 * Sessions by round (one each) and by id (the presenter link names it). Every change is
 * conditional on the state it starts from and bumps the version, so two facilitators' clicks
 * (or two instances) cannot both reveal, and clients can tell a change from a repeat.
 */
export function createSessionRepository(conn: Connection) {
  const model = sessionModel(conn);
  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** Starts a session on the round, replacing an ended one; null when one is running. */
    async start(input: {
      id: string;
      workspaceId: string;
      roundId: string;
      now: Date;
    }): Promise<Session> {
      const doc: SessionDoc = {
        _id: input.id,
        workspaceId: input.workspaceId,
        roundId: input.roundId,
        state: 'collecting',
        step: null,
        version: 1,
        startedAt: input.now,
        revealedAt: null,
        endedAt: null,
      };
      await model.deleteOne({ roundId: input.roundId, workspaceId: input.workspaceId });
      await model.create(doc);
      return toSession(doc);
    },

    async ofRound(workspaceId: string, roundId: string): Promise<Session | null> {
      const doc = await model.findOne({ roundId, workspaceId }).lean<SessionDoc>();
      return doc ? toSession(doc) : null;
    },

    async byId(id: string): Promise<Session | null> {
      const doc = await model.findOne({ _id: id }).lean<SessionDoc>();
      return doc ? toSession(doc) : null;
    },

    /** Moves the session from one of `from` to `change`; null when it was in none of them. */
    async change(
      session: Pick<Session, 'id' | 'workspaceId'>,
      from: readonly SessionState[],
      change: Partial<Pick<SessionDoc, 'state' | 'step' | 'revealedAt' | 'endedAt'>>,
    ): Promise<Session | null> {
      const doc = await model
        .findOneAndUpdate(
          { _id: session.id, workspaceId: session.workspaceId, state: anyOf(from) },
          { $set: change, $inc: { version: 1 } },
          { returnDocument: 'after' },
        )
        .lean<SessionDoc>();
      return doc ? toSession(doc) : null;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
