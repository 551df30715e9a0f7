export const ROLES = ['owner', 'coach', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, coach: 2, owner: 3 };

/** Who is acting, in which workspace, with which role: every service call starts from this. */
export type Actor = Readonly<{
  userId: string;
  workspaceId: string;
  role: Role;
  /** How the actor signed in: a page session or an API token. */
  via: 'session' | 'token';
}>;

/** Whether `role` grants at least what `minimum` grants (owner ⊇ coach ⊇ viewer). */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The lesser of two roles: an API token never grants more than its owner's membership. */
export function lesserRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export type Workspace = Readonly<{ id: string; name: string; createdAt: Date }>;

export type Membership = Readonly<{
  id: string;
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: Date;
}>;

export type Invitation = Readonly<{
  id: string;
  workspaceId: string;
  role: Role;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by the authentication middleware of pages (session) and the API (token). */
      actor?: Actor;
    }
  }
}
