import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { NotFoundError, UnauthenticatedError } from '../../shared/errors';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import { parseInput } from '../../shared/http/validate';
import {
  assertRole,
  lesserRole,
  type Actor,
  type Role,
  type WorkspaceService,
} from '../workspaces';
import type { AccountRepository } from './account.repository';
import {
  ApiTokenRequest,
  ChangePasswordInput,
  LoginInput,
  SignupApiInput,
  SignupInput,
  TokenCreateInput,
} from './account.schemas';
import type { ApiToken, ListedToken, User } from './account.types';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;
const RATE_WINDOW_MS = 15 * 60_000;
const TOKEN_PREFIX = 'tl_';
const DAY_MS = 24 * 3600_000;
/**
 * How precisely a token's last use is kept: a use within this time of the recorded one writes
 * nothing, so a busy script costs one write an hour, not one per request.
 */
const LAST_USE_RESOLUTION_MS = 3600_000;

/** "2026-04-01 at 10:00 UTC" */
const dayAndTime = (at: Date) => {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
};

const messages = {
  badCredentials: 'The email address or the password is not right.',
  wrongCurrentPassword: 'Your current password is not right.',
  passwordChanged: 'Your password has just been changed. Sign in again with the new one.',
  tokenInvalid: 'This API token is not valid or has been revoked.',
  tokenExpired: (at: Date) =>
    `This API token expired on ${dayAndTime(at)}. Create a new one on your account page, or with POST /api/v1/auth/tokens.`,
  noWorkspace: 'You are not a member of this workspace.',
} as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const isExpired = (token: ApiToken, now: Date) =>
  token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime();

export type AccountServiceDeps = Readonly<{
  repository: AccountRepository;
  workspaces: WorkspaceService;
  rateLimits: RateLimitStore;
  limits: Readonly<{ perIp: number; perAccount: number }>;
  clock: () => Date;
}>;

/**
 * Users, passwords, log-in and API tokens. Log-in answers the same for an unknown email and a
 * wrong password, in about the same time (a hash is always verified). Every check of a typed
 * password is rate limited per client address and per account in MongoDB, so the limit holds
 * across instances.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const { repository, workspaces } = deps;
  // A real hash of a random password, verified when the email is unknown, so that both
  // failures cost the same time.
  const dummyHash = argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);

  const limit = (key: string, max: number) => deps.rateLimits.enforce(key, max, RATE_WINDOW_MS);

  /**
   * Before any argon2 verification of a password someone typed (log-in, the token exchange, a
   * password change): each costs 19 MiB and tens of milliseconds, so a refused attempt must
   * cost none. The doors share one budget per account, so guesses at one password are counted
   * together wherever they come in.
   */
  async function limitPasswordCheck(email: string, ip: string): Promise<void> {
    await limit(`password:ip:${ip}`, deps.limits.perIp);
    await limit(`password:account:${email.toLowerCase()}`, deps.limits.perAccount);
  }

  async function checkCredentials(email: string, password: string, ip: string): Promise<User> {
    await limitPasswordCheck(email, ip);
    const found = await repository.findCredentials(email);
    const ok = await argon2.verify(found?.passwordHash ?? (await dummyHash), password);
    if (!found || !ok)
      throw new UnauthenticatedError('INVALID_CREDENTIALS', messages.badCredentials);
    return found.user;
  }

  /**
   * A new token for `user`, whose credentials were checked at `user.credentialsVersion`. A
   * password change raises the version, then revokes every token: a token stored before the
   * revocation is revoked by it, and one stored after it sees the raised version here and is
   * revoked at once, so no token outlives the password it was issued under.
   */
  async function issueToken(
    user: User,
    workspaceId: string,
    role: Role,
    name: string,
    expiresInDays: number | null,
  ) {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const createdAt = deps.clock();
    const stored = await repository.insertToken({
      userId: user.id,
      workspaceId,
      name,
      role,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      createdAt,
      expiresAt:
        expiresInDays === null ? null : new Date(createdAt.getTime() + expiresInDays * DAY_MS),
    });
    const now = await userById(user.id);
    if (now?.credentialsVersion !== user.credentialsVersion) {
      await repository.revokeToken(user.id, stored.id, deps.clock());
      throw new UnauthenticatedError('INVALID_CREDENTIALS', messages.passwordChanged);
    }
    return { token, stored };
  }

  /** What the API answers about a token it has just issued to `user`. */
  const issuedTo = (user: User, { token, stored }: { token: string; stored: ApiToken }) => ({
    token,
    tokenId: stored.id,
    workspaceId: stored.workspaceId,
    role: stored.role,
    expiresAt: stored.expiresAt,
    user,
  });

  async function userById(userId: string): Promise<User | null> {
    return (await repository.findUserWithHash(userId))?.user ?? null;
  }

  async function createUser(input: {
    name: string;
    email: string;
    password: string;
  }): Promise<User> {
    return repository.insertUser({
      email: input.email,
      name: input.name,
      passwordHash: await argon2.hash(input.password, ARGON2_OPTIONS),
      createdAt: deps.clock(),
    });
  }

  return {
    /** Sign-up from the page: a new workspace, or joining the one an invitation is for. */
    async signup(input: unknown, ip: string): Promise<{ user: User; workspaceId: string }> {
      const data = parseInput(SignupInput, input);
      await limit(`signup:ip:${ip}`, deps.limits.perIp);
      if (data.invite) await workspaces.previewInvitation(data.invite);
      const user = await createUser(data);
      if (data.invite) {
        const membership = await workspaces.acceptInvitation(data.invite, user.id);
        return { user, workspaceId: membership.workspaceId };
      }
      const workspace = await workspaces.createWithOwner(
        data.workspaceName ?? `${data.name}'s workspace`,
        user.id,
      );
      return { user, workspaceId: workspace.id };
    },

    /** Sign-up through the API: a user, a workspace, and a first API token (owner). */
    async signupWithToken(input: unknown, ip: string) {
      const data = parseInput(SignupApiInput, input);
      await limit(`signup:ip:${ip}`, deps.limits.perIp);
      const user = await createUser(data);
      const workspace = await workspaces.createWithOwner(data.workspaceName, user.id);
      return issuedTo(user, await issueToken(user, workspace.id, 'owner', 'First token', null));
    },

    /** Checks email and password; returns the user and the workspace to open. */
    async login(
      input: unknown,
      ip: string,
    ): Promise<{ user: User; workspaceId: string | null; next?: string }> {
      const data = parseInput(LoginInput, input);
      const user = await checkCredentials(data.email, data.password, ip);
      const [first] = await workspaces.workspacesOf(user.id);
      return { user, workspaceId: first?.workspace.id ?? null, next: data.next };
    },

    /**
     * A new password ends everything the old one opened: the user's other sessions (their
     * credentials version is now old) and every API token. Returns the new version, for the
     * session that made the change to carry on.
     */
    async changePassword(
      actor: Actor,
      input: unknown,
      ip: string,
    ): Promise<{ credentialsVersion: number }> {
      const data = parseInput(ChangePasswordInput, input);
      const found = await repository.findUserWithHash(actor.userId);
      if (!found) throw new UnauthenticatedError();
      await limitPasswordCheck(found.user.email, ip);
      if (!(await argon2.verify(found.passwordHash, data.currentPassword))) {
        throw new UnauthenticatedError('INVALID_CREDENTIALS', messages.wrongCurrentPassword);
      }
      const credentialsVersion = await repository.changePassword(
        actor.userId,
        await argon2.hash(data.newPassword, ARGON2_OPTIONS),
        deps.clock(),
      );
      return { credentialsVersion };
    },

    user: userById,

    async users(userIds: readonly string[]): Promise<User[]> {
      return repository.findUsers(userIds);
    },

    /** An API token for a signed-in user, at most with the user's role; shown once. */
    /**
     * A token from a signed-in page, whose session was checked at `sessionVersion` (see
     * issueToken): a session ended by a password change meanwhile gets none.
     */
    async createToken(
      actor: Actor,
      input: unknown,
      sessionVersion: number,
    ): Promise<{ token: string; stored: ApiToken }> {
      assertRole(actor, 'viewer');
      const data = parseInput(TokenCreateInput, input);
      const user = await userById(actor.userId);
      if (!user) throw new UnauthenticatedError();
      return issueToken(
        { ...user, credentialsVersion: sessionVersion },
        actor.workspaceId,
        lesserRole(data.role ?? actor.role, actor.role),
        data.name,
        data.expiresInDays,
      );
    },

    /** An API token in exchange for email and password (integrations without a browser). */
    async exchangeCredentials(input: unknown, ip: string) {
      const data = parseInput(ApiTokenRequest, input);
      const user = await checkCredentials(data.email, data.password, ip);
      const memberships = await workspaces.workspacesOf(user.id);
      const chosen = data.workspaceId
        ? memberships.find((m) => m.workspace.id === data.workspaceId)
        : memberships[0];
      if (!chosen) throw new NotFoundError('WORKSPACE_NOT_FOUND', messages.noWorkspace);
      const role = lesserRole(data.role ?? chosen.role, chosen.role);
      return issuedTo(
        user,
        await issueToken(user, chosen.workspace.id, role, data.name, data.expiresInDays ?? null),
      );
    },

    /** The user's live tokens in the actor's workspace, newest first; expired ones say so. */
    async listTokens(actor: Actor): Promise<ListedToken[]> {
      const now = deps.clock();
      const tokens = await repository.tokensOf(actor.userId, actor.workspaceId);
      return tokens.map((t) => ({ ...t, expired: isExpired(t, now) }));
    },

    async revokeToken(actor: Actor, tokenId: string): Promise<void> {
      if (!(await repository.revokeToken(actor.userId, tokenId, deps.clock()))) {
        throw new NotFoundError('TOKEN_NOT_FOUND', 'There is no such token.');
      }
    },

    /**
     * The actor behind a bearer token: the token's workspace, with the lesser of the token's
     * role and the owner's current role. A revoked or expired token, or one whose owner left
     * the workspace, is refused. Expiry is checked here, never left to the database to delete.
     */
    async authenticateToken(token: string): Promise<Actor> {
      const stored = token.startsWith(TOKEN_PREFIX)
        ? await repository.findTokenByHash(sha256(token))
        : null;
      if (!stored || stored.revokedAt)
        throw new UnauthenticatedError('TOKEN_INVALID', messages.tokenInvalid);
      const now = deps.clock();
      if (stored.expiresAt && isExpired(stored, now))
        throw new UnauthenticatedError('TOKEN_EXPIRED', messages.tokenExpired(stored.expiresAt));
      const actor = await workspaces.actorFor(stored.userId, stored.workspaceId, 'token');
      if (!actor) throw new UnauthenticatedError('TOKEN_INVALID', messages.tokenInvalid);
      const since = new Date(now.getTime() - LAST_USE_RESOLUTION_MS);
      if (!stored.lastUsedAt || stored.lastUsedAt < since) {
        await repository.touchToken(stored.id, now, since);
      }
      return { ...actor, role: lesserRole(stored.role, actor.role) };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
