import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { anyOf } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import {
  invitationClaimModel,
  invitationModel,
  type InvitationClaimDoc,
  type InvitationDoc,
} from './invitation.model';

export type Invitation = Readonly<{ id: string; roundId: string; email: string; used: boolean }>;

const toInvitation = (d: InvitationDoc): Invitation => ({
  id: d._id,
  roundId: d.roundId,
  email: d.email,
  used: d.used,
});

export function createInvitationRepository(conn: Connection) {
  const model = invitationModel(conn);
  const claims = invitationClaimModel(conn);
  return {
    async init(): Promise<void> {
      await Promise.all([model.createIndexes(), claims.createIndexes()]);
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

    /**
     * Records that these invitations were used: only that (no time, no response). One write
     * for all of them, in the order given.
     */
    async markUsed(roundId: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await model.updateMany({ _id: anyOf(ids), roundId }, { $set: { used: true } });
    },

    /** Whether the invitation of the round has been used (or claimed) to answer. */
    async isUsed(roundId: string, id: string): Promise<boolean> {
      const doc = await model.findOne({ _id: id, roundId }, { used: 1 }).lean<InvitationDoc>();
      return doc?.used === true;
    },

    /**
     * Claims an unused invitation of the round for one answer: true for exactly one of any
     * number of claims, at once or not, false for the others and for an unknown invitation.
     */
    async claim(roundId: string, id: string): Promise<boolean> {
      if (!(await model.exists({ _id: id, roundId }))) return false;
      const doc: InvitationClaimDoc = { _id: id, roundId };
      try {
        await claims.create(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
      await model.updateOne({ _id: id, roundId }, { $set: { used: true } });
      return true;
    },

    /** Gives a claim back, when the answer it was for could not be stored. */
    async release(roundId: string, id: string): Promise<void> {
      await model.updateOne({ _id: id, roundId }, { $set: { used: false } });
      await claims.deleteOne({ _id: id, roundId });
    },
  };
}

export type InvitationRepository = ReturnType<typeof createInvitationRepository>;
