import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors';
import type { WorkspaceRepository } from './workspace.repository';
import {
  hasRole,
  type Actor,
  type Invitation,
  type Membership,
  type Role,
  type Workspace,
} from './workspace.types';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const messages = {
  forbidden: (minimum: Role) =>
    minimum === 'owner'
      ? 'Only an owner of this workspace can do this.'
      : minimum === 'coach'
        ? 'Viewers can read reports but not change anything.'
        : 'You are not a member of this workspace.',
  invitationInvalid: 'This invitation link is not valid, has expired or has been used already.',
  lastOwner: 'A workspace needs at least one owner: make someone else owner first.',
  memberNotFound: 'This person is not a member of this workspace.',
} as const;

/** Throws 403 unless the actor has at least `minimum` (owner ⊇ coach ⊇ viewer). */
export function assertRole(actor: Actor, minimum: Role): void {
  if (!hasRole(actor.role, minimum))
    throw new ForbiddenError('FORBIDDEN', messages.forbidden(minimum));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Workspaces, their members and roles, and one-time invitation links. Every rule about who may
 * act in a workspace lives here, so pages and the API cannot disagree.
 */
export function createWorkspaceService(deps: {
  repository: WorkspaceRepository;
  clock: () => Date;
}) {
  const { repository } = deps;

  async function members(workspaceId: string): Promise<Membership[]> {
    return repository.membersOf(workspaceId);
  }

  return {
    /** A new workspace with `userId` as its owner (sign-up). */
    async createWithOwner(name: string, userId: string): Promise<Workspace> {
      const workspace = await repository.insertWorkspace(name, deps.clock());
      await repository.addMember(workspace.id, userId, 'owner', deps.clock());
      return workspace;
    },

    /** The actor for a user in a workspace, or null when the user is not (or no longer) a member. */
    async actorFor(userId: string, workspaceId: string, via: Actor['via']): Promise<Actor | null> {
      const membership = await repository.findMembership(workspaceId, userId);
      return membership ? { userId, workspaceId, role: membership.role, via } : null;
    },

    /** The workspaces a user belongs to, with the role in each. */
    async workspacesOf(userId: string): Promise<{ workspace: Workspace; role: Role }[]> {
      const memberships = await repository.membershipsOfUser(userId);
      const workspaces = await repository.findWorkspaces(memberships.map((m) => m.workspaceId));
      return workspaces.map((workspace) => ({
        workspace,
        role: memberships.find((m) => m.workspaceId === workspace.id)?.role ?? 'viewer',
      }));
    },

    async get(actor: Actor): Promise<Workspace> {
      const [workspace] = await repository.findWorkspaces([actor.workspaceId]);
      if (!workspace) throw new NotFoundError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
      return workspace;
    },

    async members(actor: Actor): Promise<Membership[]> {
      assertRole(actor, 'viewer');
      return members(actor.workspaceId);
    },

    /** Creates a one-time invitation link; the token is returned once and stored only as a hash. */
    async invite(actor: Actor, role: Role): Promise<{ invitation: Invitation; token: string }> {
      assertRole(actor, 'owner');
      const token = randomBytes(32).toString('base64url');
      const now = deps.clock();
      const invitation = await repository.insertInvitation({
        workspaceId: actor.workspaceId,
        role,
        tokenHash: hashToken(token),
        createdBy: actor.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      });
      return { invitation, token };
    },

    async openInvitations(actor: Actor): Promise<Invitation[]> {
      assertRole(actor, 'owner');
      return repository.openInvitations(actor.workspaceId, deps.clock());
    },

    async revokeInvitation(actor: Actor, invitationId: string): Promise<void> {
      assertRole(actor, 'owner');
      if (!(await repository.revokeInvitation(actor.workspaceId, invitationId))) {
        throw new NotFoundError('INVITATION_NOT_FOUND', messages.invitationInvalid);
      }
    },

    /** What an invitation offers, for the page that asks to accept it; 404 when unusable. */
    async previewInvitation(
      token: string,
    ): Promise<{ invitation: Invitation; workspace: Workspace }> {
      const invitation = await repository.findInvitationByHash(hashToken(token));
      if (!invitation || invitation.usedAt || invitation.expiresAt <= deps.clock()) {
        throw new NotFoundError('INVITATION_NOT_FOUND', messages.invitationInvalid);
      }
      const [workspace] = await repository.findWorkspaces([invitation.workspaceId]);
      if (!workspace) throw new NotFoundError('INVITATION_NOT_FOUND', messages.invitationInvalid);
      return { invitation, workspace };
    },

    /** Uses an invitation (once) and makes `userId` a member with its role. */
    async acceptInvitation(token: string, userId: string): Promise<Membership> {
      const invitation = await repository.consumeInvitation(hashToken(token), userId, deps.clock());
      if (!invitation) throw new NotFoundError('INVITATION_NOT_FOUND', messages.invitationInvalid);
      return repository.addMember(invitation.workspaceId, userId, invitation.role, deps.clock());
    },

    /** Removes a member; the last owner cannot be removed. Access ends at the member's next request. */
    async removeMember(actor: Actor, userId: string): Promise<void> {
      assertRole(actor, 'owner');
      const all = await members(actor.workspaceId);
      const target = all.find((m) => m.userId === userId);
      if (!target) throw new NotFoundError('MEMBER_NOT_FOUND', messages.memberNotFound);
      if (target.role === 'owner' && all.filter((m) => m.role === 'owner').length === 1) {
        throw new ConflictError('LAST_OWNER', messages.lastOwner);
      }
      await repository.removeMember(actor.workspaceId, userId);
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
