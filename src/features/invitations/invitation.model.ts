import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';

/**
 * One address invited to a round. It records whether its personal link has been used to
 * answer, and nothing else of the answer: never which response, never when (DESIGN.md).
 */
export type InvitationDoc = {
  _id: string;
  workspaceId: string;
  roundId: string;
  email: string;
  /** Lower-cased copy: an address is invited once per round, however it is typed. */
  emailLower: string;
  used: boolean;
  createdAt: Date;
};

const invitationSchema = new Schema<InvitationDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    roundId: { type: String, required: true },
    email: { type: String, required: true },
    emailLower: { type: String, required: true },
    used: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'round_invitations', versionKey: false },
);
invitationSchema.index({ roundId: 1, emailLower: 1 }, { unique: true });

export function invitationModel(conn: Connection) {
  return modelOn(conn, 'RoundInvitation', invitationSchema);
}

/**
 * The claim of an invitation in a round by invitation: its `_id` is the invitation's, so the
 * server's unique `_id` lets exactly one of two answers at once claim it. A conditional update
 * of `used` would not do: not every supported server isolates concurrent updates of one
 * document (shared/db/capabilities.ts), but every one refuses a second document with an `_id`.
 */
export type InvitationClaimDoc = { _id: string; roundId: string };

const claimSchema = new Schema<InvitationClaimDoc>(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
  },
  { collection: 'round_invitation_claims', versionKey: false },
);

export function invitationClaimModel(conn: Connection) {
  return modelOn(conn, 'RoundInvitationClaim', claimSchema);
}
