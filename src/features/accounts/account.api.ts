import type { RequestHandler } from 'express';
import { UnauthenticatedError } from '../../shared/errors';
import { createApiRouter, route, type ApiRouter } from '../../shared/http/openapi';
import { assertRole, type Actor, type WorkspaceService } from '../workspaces';
import { ApiTokenRequest, MeDto, SignupApiInput, TokenResponseDto } from './account.schemas';
import type { AccountService } from './account.service';

const messages = {
  missing: 'Send an API token as "Authorization: Bearer <token>". Create one on your account page.',
} as const;

/**
 * Bearer-token authentication for /api/v1. It sets the actor when a token is sent and refuses a
 * bad one; routes that need an actor call `apiActor`, which answers 401 without one. Session
 * cookies are never read here, so the API needs no CSRF protection.
 */
export function authenticateApi(accounts: AccountService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return next();
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError('TOKEN_INVALID', messages.missing);
    res.locals.actor = await accounts.authenticateToken(match[1]);
    next();
  };
}

/** The actor of an API request; 401 when no token was sent. */
export function apiActor(res: { locals: { actor?: Actor } }): Actor {
  if (!res.locals.actor) throw new UnauthenticatedError('UNAUTHENTICATED', messages.missing);
  return res.locals.actor;
}

/**
 * A router of API operations whose `access` is enforced with the API token's actor: 401
 * without a token where one is needed, 403 below a coach where a coach is needed.
 */
export const apiRouter = () =>
  createApiRouter<Actor>((res, access) => {
    switch (access) {
      case 'public':
        return undefined;
      case 'optional':
        return (res.locals as { actor?: Actor }).actor;
      case 'viewer':
        return apiActor(res);
      case 'coach': {
        const actor = apiActor(res);
        assertRole(actor, 'coach');
        return actor;
      }
    }
  });

/** JSON of sign-up, tokens and who a token is, mounted at the root of /api/v1. */
export function createAccountApiRouter({
  accounts,
  workspaces,
}: {
  accounts: AccountService;
  workspaces: WorkspaceService;
}): ApiRouter<Actor> {
  const api = apiRouter();

  const tokenResponse = (r: Awaited<ReturnType<AccountService['exchangeCredentials']>>) => ({
    token: r.token,
    tokenId: r.tokenId,
    workspaceId: r.workspaceId,
    role: r.role,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    user: { id: r.user.id, email: r.user.email, name: r.user.name },
  });

  route(
    api,
    {
      method: 'post',
      path: '/auth/signup',
      tag: 'Accounts',
      access: 'public',
      summary: 'Create a user, a workspace and a first API token (owner, never expires)',
      body: SignupApiInput,
      responses: { 201: TokenResponseDto },
      errors: ['EMAIL_TAKEN', 'RATE_LIMITED'],
    },
    async ({ body, req }) =>
      tokenResponse(await accounts.signupWithToken(body, req.ip ?? 'unknown')),
  );

  route(
    api,
    {
      method: 'post',
      path: '/auth/tokens',
      tag: 'Accounts',
      access: 'public',
      summary: 'Get an API token with email and password',
      description:
        'The token works in one workspace (the first one unless `workspaceId` is given) with at most the user’s role there, until `expiresInDays` have passed (left out or null: it never expires); after that every request with it answers 401 `TOKEN_EXPIRED`. Rate limited per client address and per account, in one budget with log-in and password changes.',
      body: ApiTokenRequest,
      responses: { 201: TokenResponseDto },
      errors: ['INVALID_CREDENTIALS', 'WORKSPACE_NOT_FOUND', 'RATE_LIMITED'],
    },
    async ({ body, req }) =>
      tokenResponse(await accounts.exchangeCredentials(body, req.ip ?? 'unknown')),
  );

  route(
    api,
    {
      method: 'get',
      path: '/auth/me',
      tag: 'Accounts',
      access: 'viewer',
      summary: 'Who the token belongs to, its workspace and role',
      responses: { 200: MeDto },
    },
    async ({ actor }) => {
      const user = await accounts.user(actor.userId);
      const workspace = await workspaces.get(actor);
      if (!user) throw new UnauthenticatedError();
      return {
        user: { id: user.id, email: user.email, name: user.name },
        workspace: { id: workspace.id, name: workspace.name },
        role: actor.role,
      };
    },
  );

  return api;
}
