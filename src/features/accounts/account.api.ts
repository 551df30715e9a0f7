import { Router, type RequestHandler } from 'express';
import { UnauthenticatedError } from '../../shared/errors';
import { type Actor, type WorkspaceService } from '../workspaces';
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

/** JSON under /api/v1/auth. */
export function createAccountApiRouter({
  accounts,
  workspaces,
}: {
  accounts: AccountService;
  workspaces: WorkspaceService;
}): Router {
  const router = Router();

  const tokenResponse = (r: Awaited<ReturnType<AccountService['exchangeCredentials']>>) => ({
    token: r.token,
    tokenId: r.tokenId,
    workspaceId: r.workspaceId,
    role: r.role,
    user: { id: r.user.id, email: r.user.email, name: r.user.name },
  });

  /** POST /auth/signup — a user, a workspace and a first token */
  router.post('/signup', async (req, res) => {
    res
      .status(201)
      .json(tokenResponse(await accounts.signupWithToken(req.body, req.ip ?? 'unknown')));
  });

  /** POST /auth/tokens — a token for email + password */
  router.post('/tokens', async (req, res) => {
    res
      .status(201)
      .json(tokenResponse(await accounts.exchangeCredentials(req.body, req.ip ?? 'unknown')));
  });

  /** GET /auth/me — who the token belongs to */
  router.get('/me', async (_req, res) => {
    const actor = apiActor(res);
    const user = await accounts.user(actor.userId);
    const workspace = await workspaces.get(actor);
    if (!user) throw new UnauthenticatedError();
    res.json({
      user: { id: user.id, email: user.email, name: user.name },
      workspace: { id: workspace.id, name: workspace.name },
      role: actor.role,
    });
  });

  return router;
}
