import type { Role } from '../workspaces';

export type User = Readonly<{
  id: string;
  email: string;
  name: string;
  /** See UserDoc.credentialsVersion: sessions of an older version are over. */
  credentialsVersion: number;
  createdAt: Date;
}>;

export type ApiToken = Readonly<{
  id: string;
  userId: string;
  workspaceId: string;
  name: string;
  role: Role;
  /** The first characters of the token, to recognise it in a list; the rest is never stored. */
  prefix: string;
  createdAt: Date;
  /** When it stops working (checked in code on every use); null: never. */
  expiresAt: Date | null;
  /** Its latest use, to the hour: a use within an hour of the recorded one is not written. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}>;

/** A token as its owner's list shows it. */
export type ListedToken = ApiToken & Readonly<{ expired: boolean }>;

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** The user's credentials version when this session signed in. */
    credentialsVersion?: number;
    workspaceId?: string;
    /** A message for the next page the user sees (after a redirect). */
    flash?: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** For the layout: who is signed in, their workspaces, the CSRF token of every form. */
      currentUser?: Readonly<{ name: string; email: string }>;
      currentWorkspace?: Readonly<{ id: string; name: string; role: string }>;
      otherWorkspaces?: readonly Readonly<{ id: string; name: string }>[];
      csrfToken?: string;
      flash?: string;
    }
  }
}
