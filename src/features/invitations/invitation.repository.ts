import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { randomId } from '../../shared/ids';
import { invitationModel, type InvitationDoc } from './invitation.model';

export type Invitation = Readonly<{ id: string; roundId: string; email: string; used: boolean }>;

const toInvitation = (d: InvitationDoc): Invitation => ({
  id: d._id,
  roundId: d.roundId,
  email: d.email,
  used: d.used,
});

export function createInvitationRepository(conn: Connection) {
  const model = invitationModel(conn);
  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** Invites each address not yet invited to the round; returns the new invitations. */
    async insertMany(
      input: { workspaceId: string; roundId: string; emails: readonly string[] },
      now: Date,
    ): Promise<Invitation[]> {
      const created: Invitation[] = [];
      for (const email of input.emails) {
        const doc: InvitationDoc = {
          _id: randomId(),
          workspaceId: input.workspaceId,
          roundId: input.roundId,
          email,
          emailLower: email.toLowerCase(),
          used: false,
          createdAt: now,
        };
        try {
          await model.create(doc);
          created.push(toInvitation(doc));
        } catch (err) {
          // CASE: invited before (or by a second click at the same moment): once is enough.
          if (!isDuplicateKeyError(err)) throw err;
        }
      }
      return created;
    },

    async ofRound(workspaceId: string, roundId: string): Promise<Invitation[]> {
      const docs = await model
        .find({ workspaceId, roundId })
        .sort({ createdAt: 1 })
        .lean<InvitationDoc[]>();
      return docs.map(toInvitation);
    },

    /** Records that the invitation was used: only that (no time, no response). */
    async markUsed(roundId: string, id: string): Promise<void> {
      await model.updateOne({ _id: id, roundId }, { $set: { used: true } });
    },
  };
}

export type InvitationRepository = ReturnType<typeof createInvitationRepository>;
