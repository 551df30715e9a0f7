// Workspaces: the workspace, its members and their roles (owner / coach / viewer), and one-time
// invitation links. Owns the Actor type and assertRole, which every other feature's service uses
// to enforce permissions. Has no pages of its own: accounts renders the members page.
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import { createWorkspaceRepository } from './workspace.repository';
import { createWorkspaceService } from './workspace.service';

export { assertRole } from './workspace.service';
export type { WorkspaceService } from './workspace.service';
export { ROLES, hasRole, lesserRole } from './workspace.types';
export type { Actor, Role, Workspace, Membership, Invitation } from './workspace.types';
export { InvitationInput, InvitationToken, MemberParams, WorkspaceName } from './workspace.schemas';

export function createWorkspacesModule(deps: {
  conn: Connection;
  clock: () => Date;
  preparation: Preparation;
}) {
  const repository = createWorkspaceRepository(deps.conn);
  deps.preparation.add({ name: 'workspaces', run: () => repository.init() });
  return {
    service: createWorkspaceService({
      repository,
      clock: deps.clock,
    }),
  };
}
