import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import { SESSION_STATES, type SessionState } from './session.types';

export type SessionDoc = {
  _id: string;
  workspaceId: string;
  /** One session per round: a new one replaces an ended one (and its presenter link). */
  roundId: string;
  state: SessionState;
  step: number | null;
  version: number;
  startedAt: Date;
  revealedAt: Date | null;
  endedAt: Date | null;
};

// Not `sessions`/`Session`: those are the login sessions' (shared/db/session-store.ts), and
// sharing them broke logging in (one model won, and the unique roundId index refused a second
// login session).
const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    roundId: { type: String, required: true },
    state: { type: String, enum: SESSION_STATES, required: true },
    step: { type: Number, default: null },
    version: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    revealedAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
  },
  { collection: 'live_sessions', versionKey: false },
);
sessionSchema.index({ roundId: 1 }, { unique: true });

export function sessionModel(conn: Connection) {
  return modelOn(conn, 'LiveSession', sessionSchema);
}
