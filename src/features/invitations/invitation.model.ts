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
