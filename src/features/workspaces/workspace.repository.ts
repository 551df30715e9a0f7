import { type Connection } from 'mongoose';
import { anyOf, greaterThan } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import {
  workspaceModels,
  type InvitationDoc,
  type MembershipDoc,
  type WorkspaceDoc,
} from './workspace.model';
import type { Invitation, Membership, Role, Workspace } from './workspace.types';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';

const toWorkspace = (d: WorkspaceDoc): Workspace => ({
  id: d._id,
  name: d.name,
  createdAt: d.createdAt,
});
const toMembership = (d: MembershipDoc): Membership => ({
  id: d._id,
  workspaceId: d.workspaceId,
  userId: d.userId,
  role: d.role,
  createdAt: d.createdAt,
});
const toInvitation = (d: InvitationDoc): Invitation => ({
  id: d._id,
  workspaceId: d.workspaceId,
  role: d.role,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  usedAt: d.usedAt,
});

export function createWorkspaceRepository(conn: Connection) {
  const m = workspaceModels(conn);

  return {
    async init(): Promise<void> {
      await Promise.all([
        m.workspaces.createIndexes(),
        m.memberships.createIndexes(),
        m.invitations.createIndexes(),
        // Creates the collection before any claim: concurrent first inserts into a collection
        // that does not exist yet are not checked against each other on every server.
        m.invitationClaims.createIndexes(),
      ]);
    },

    async insertWorkspace(name: string, createdAt: Date): Promise<Workspace> {
      const doc: WorkspaceDoc = { _id: randomId(), name, createdAt };
      await m.workspaces.create(doc);
      return toWorkspace(doc);
    },

    async findWorkspaces(ids: readonly string[]): Promise<Workspace[]> {
      const docs = await m.workspaces
        .find({ _id: anyOf(ids) })
        .sort({ name: 1 })
        .lean<WorkspaceDoc[]>();
      return docs.map(toWorkspace);
    },

    /** Adds a member; an existing membership is kept as it is (joining twice changes nothing). */
    async addMember(
      workspaceId: string,
      userId: string,
      role: Role,
      createdAt: Date,
    ): Promise<Membership> {
      const existing = await m.memberships.findOne({ workspaceId, userId }).lean<MembershipDoc>();
      if (existing) return toMembership(existing);
      const doc: MembershipDoc = { _id: randomId(), workspaceId, userId, role, createdAt };
      try {
        await m.memberships.create(doc);
      } catch (err) {
        // CASE: the same user accepted twice at the same moment; the unique index kept one.
        const raced = await m.memberships.findOne({ workspaceId, userId }).lean<MembershipDoc>();
        if (raced) return toMembership(raced);
        throw err;
      }
      return toMembership(doc);
    },

    async findMembership(workspaceId: string, userId: string): Promise<Membership | null> {
      const doc = await m.memberships.findOne({ workspaceId, userId }).lean<MembershipDoc>();
      return doc ? toMembership(doc) : null;
    },

    async membershipsOfUser(userId: string): Promise<Membership[]> {
      const docs = await m.memberships
        .find({ userId })
        .sort({ createdAt: 1 })
        .lean<MembershipDoc[]>();
      return docs.map(toMembership);
    },

    async membersOf(workspaceId: string): Promise<Membership[]> {
      const docs = await m.memberships
        .find({ workspaceId })
        .sort({ createdAt: 1 })
        .lean<MembershipDoc[]>();
      return docs.map(toMembership);
    },

    async removeMember(workspaceId: string, userId: string): Promise<boolean> {
      const result = await m.memberships.deleteOne({ workspaceId, userId });
      return result.deletedCount === 1;
    },

    async insertInvitation(
      input: Omit<InvitationDoc, '_id' | 'usedAt' | 'usedBy'>,
    ): Promise<Invitation> {
      const doc: InvitationDoc = { _id: randomId(), ...input, usedAt: null, usedBy: null };
      await m.invitations.create(doc);
      return toInvitation(doc);
    },

    async findInvitationByHash(tokenHash: string): Promise<Invitation | null> {
      const doc = await m.invitations.findOne({ tokenHash }).lean<InvitationDoc>();
      return doc ? toInvitation(doc) : null;
    },

    /**
     * Uses an unused, unexpired invitation once: the first claim wins (unique _id in
     * invitation_claims); every other attempt, concurrent or later, gets null.
     */
    async consumeInvitation(
      tokenHash: string,
      userId: string,
      now: Date,
    ): Promise<Invitation | null> {
      const doc = await m.invitations
        .findOne({ tokenHash, usedAt: null, expiresAt: greaterThan(now) })
        .lean<InvitationDoc>();
      if (!doc) return null;
      try {
        await m.invitationClaims.create({ _id: doc._id, userId, at: now });
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
      await m.invitations.updateOne({ _id: doc._id }, { $set: { usedAt: now, usedBy: userId } });
      return toInvitation({ ...doc, usedAt: now, usedBy: userId });
    },

    async openInvitations(workspaceId: string, now: Date): Promise<Invitation[]> {
      const docs = await m.invitations
        .find({ workspaceId, usedAt: null, expiresAt: greaterThan(now) })
        .sort({ createdAt: -1 })
        .lean<InvitationDoc[]>();
      return docs.map(toInvitation);
    },

    async revokeInvitation(workspaceId: string, id: string): Promise<boolean> {
      const result = await m.invitations.deleteOne({ workspaceId, _id: id, usedAt: null });
      return result.deletedCount === 1;
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
