import { Router, type Request, type RequestHandler } from 'express';
import { ConflictError, ValidationError } from '../../shared/errors';
import { formBody, formFailure } from '../../shared/http/forms';
import type { CsrfTokenFor } from '../../shared/http/sessions';
import { parseInput } from '../../shared/http/validate';
import { keptValues } from '../../shared/views/forms';
import {
  InvitationInput,
  InvitationToken,
  MemberParams,
  type Actor,
  type WorkspaceService,
} from '../workspaces';
import { SwitchWorkspaceInput, TokenIdParams } from './account.schemas';
import type { AccountService } from './account.service';
import {
  LOGIN_FIELDS,
  PASSWORD_FIELDS,
  SIGNUP_FIELDS,
  TOKEN_FORM_FIELDS,
  safeNext,
  toAccountView,
  toLoginView,
  toSignupView,
  toWorkspaceView,
} from './account.view-model';

type Deps = Readonly<{
  accounts: AccountService;
  workspaces: WorkspaceService;
  csrfToken: CsrfTokenFor;
  /** Where people reach the service (config BASE_URL): links sent out start with it. */
  baseUrl: string;
}>;

/**
 * A fresh session id at every sign-in (no session fixation), holding only ids and the user's
 * credentials version, which a password change raises to end the other sessions.
 */
function startSession(
  req: Request,
  user: { id: string; credentialsVersion: number },
  workspaceId: string | null,
): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => {
      if (err) return reject(err instanceof Error ? err : new Error(String(err)));
      req.session.userId = user.id;
      req.session.credentialsVersion = user.credentialsVersion;
      if (workspaceId) req.session.workspaceId = workspaceId;
      req.session.save((saveErr) =>
        saveErr
          ? reject(saveErr instanceof Error ? saveErr : new Error(String(saveErr)))
          : resolve(),
      );
    }),
  );
}

/** Log-out: the stored session goes, and the answer is a redirect. */
function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.destroy((err) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    ),
  );
}

/**
 * A session that no longer signs anyone in (its user is gone, or changed the password): the
 * stored one goes, and the request carries on with a new, empty one, which later handlers
 * (the log-in page's CSRF token) need.
 */
function replaceSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    ),
  );
}

/**
 * For every page request: who is signed in (from the session), in which workspace and role,
 * and, for signed-in users, the CSRF token their forms need (every layout has the log-out
 * form). Anonymous visitors get a token, and with it a session, only on pages with a form
 * (log-in and sign-up): reading the home page or the library writes nothing.
 * A member removed from the workspace loses access at once: the membership is read on every
 * request.
 */
export function loadPageActor(deps: Deps): RequestHandler {
  return async (req, res, next) => {
    if (req.session.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    const { userId } = req.session;
    if (!userId) return next();
    const user = await deps.accounts.user(userId);
    // A session from before the user's last password change is over.
    if (!user || (req.session.credentialsVersion ?? 0) !== user.credentialsVersion) {
      await replaceSession(req);
      return next();
    }
    res.locals.csrfToken = deps.csrfToken(req);
    const memberships = await deps.workspaces.workspacesOf(userId);
    const current =
      memberships.find((m) => m.workspace.id === req.session.workspaceId) ?? memberships[0];
    res.locals.currentUser = { name: user.name, email: user.email };
    if (current) {
      req.session.workspaceId = current.workspace.id;
      res.locals.actor = {
        userId,
        workspaceId: current.workspace.id,
        role: current.role,
        via: 'session',
      };
      res.locals.currentWorkspace = {
        id: current.workspace.id,
        name: current.workspace.name,
        role: current.role,
      };
      res.locals.otherWorkspaces = memberships
        .filter((m) => m !== current)
        .map((m) => ({ id: m.workspace.id, name: m.workspace.name }));
    }
    next();
  };
}

/** Pages behind log-in: without a signed-in member, go to the log-in page and come back. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (res.locals.actor) return next();
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

/** The actor of a page request that passed requireLogin. */
export function pageActor(res: { locals: { actor?: Actor } }): Actor {
  if (!res.locals.actor) throw new Error('pageActor used on a route without requireLogin');
  return res.locals.actor;
}

export function createAccountPagesRouter(deps: Deps): Router {
  const { accounts, workspaces } = deps;
  const router = Router();
  // The anonymous forms: their pages need a CSRF token even without a signed-in user.
  router.use(['/login', '/signup'], (req, res, next) => {
    res.locals.csrfToken = deps.csrfToken(req);
    next();
  });

  /** GET /signup — create an account and a workspace (or join an invitation's) */
  router.get('/signup', async (req, res) => {
    const invite = typeof req.query.invite === 'string' ? req.query.invite : undefined;
    res.render(
      'accounts/signup',
      toSignupView({ invite: invite ? await invitationSummary(invite) : undefined }),
    );
  });

  async function invitationSummary(token: string) {
    const parsed = InvitationToken.safeParse(token);
    if (!parsed.success) return undefined;
    const { invitation, workspace } = await workspaces.previewInvitation(parsed.data);
    return { token: parsed.data, workspaceName: workspace.name, role: invitation.role };
  }

  router.post('/signup', async (req, res) => {
    try {
      const { user, workspaceId } = await accounts.signup(formBody(req), req.ip ?? 'unknown');
      await startSession(req, user, workspaceId);
      req.session.flash = `Welcome, ${user.name}.`;
      res.redirect(303, '/dashboard');
    } catch (err) {
      const failure = formFailure(err, res, SIGNUP_FIELDS);
      if (!failure) throw err;
      const body = formBody(req);
      const invite =
        typeof body.invite === 'string'
          ? await invitationSummary(body.invite).catch(() => undefined)
          : undefined;
      res
        .status(failure.status)
        .render(
          'accounts/signup',
          toSignupView({ values: keptValues(formBody(req)), errors: failure.errors, invite }),
        );
    }
  });

  /** GET /login */
  router.get('/login', (req, res) => {
    if (res.locals.actor) return res.redirect(303, '/dashboard');
    const next = typeof req.query.next === 'string' ? req.query.next : undefined;
    res.render('accounts/login', toLoginView({ next }));
  });

  router.post('/login', async (req, res) => {
    try {
      const { user, workspaceId, next } = await accounts.login(formBody(req), req.ip ?? 'unknown');
      await startSession(req, user, workspaceId);
      res.redirect(303, safeNext(next));
    } catch (err) {
      const failure = formFailure(err, res, LOGIN_FIELDS);
      if (!failure) throw err;
      const values = keptValues(formBody(req));
      res
        .status(failure.status)
        .render(
          'accounts/login',
          toLoginView({ values, errors: failure.errors, next: values.next }),
        );
    }
  });

  /** POST /logout — the session is deleted in the store, so the old cookie no longer works */
  router.post('/logout', async (req, res) => {
    await endSession(req);
    res.redirect(303, '/');
  });

  router.use(['/account', '/workspace'], requireLogin);

  async function renderAccount(
    res: Parameters<RequestHandler>[1],
    extra: Partial<Parameters<typeof toAccountView>[0]> = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const user = await accounts.user(actor.userId);
    if (!user) throw new Error('signed-in user vanished');
    res.status(status).render(
      'accounts/account',
      toAccountView({
        user,
        role: actor.role,
        tokens: await accounts.listTokens(actor),
        ...extra,
      }),
    );
  }

  /** GET /account — password and API tokens */
  router.get('/account', async (_req, res) => {
    await renderAccount(res);
  });

  router.post('/account/password', async (req, res) => {
    try {
      const actor = pageActor(res);
      const { credentialsVersion } = await accounts.changePassword(
        actor,
        formBody(req),
        req.ip ?? 'unknown',
      );
      // This browser carries on, in a new session; every other session and API token ends.
      await startSession(req, { id: actor.userId, credentialsVersion }, actor.workspaceId);
      req.session.flash =
        'Your password has been changed. Your other sessions have ended and your API tokens have been revoked.';
      res.redirect(303, '/account');
    } catch (err) {
      const failure = formFailure(err, res, PASSWORD_FIELDS);
      if (!failure) throw err;
      await renderAccount(res, { passwordForm: { errors: failure.errors } }, failure.status);
    }
  });

  router.post('/account/tokens', async (req, res) => {
    try {
      const { name, expiresInDays } = formBody(req);
      const { token, stored } = await accounts.createToken(
        pageActor(res),
        { name, expiresInDays },
        req.session.credentialsVersion ?? 0,
      );
      await renderAccount(res, { newToken: { token, expiresAt: stored.expiresAt } }, 201);
    } catch (err) {
      const failure = formFailure(err, res, TOKEN_FORM_FIELDS);
      if (!failure) throw err;
      await renderAccount(
        res,
        { tokenForm: { values: keptValues(formBody(req)), errors: failure.errors } },
        failure.status,
      );
    }
  });

  router.post('/account/tokens/:tokenId/revoke', async (req, res) => {
    const { tokenId } = parseInput(TokenIdParams, req.params);
    await accounts.revokeToken(pageActor(res), tokenId);
    req.session.flash = 'The token has been revoked.';
    res.redirect(303, '/account');
  });

  async function renderWorkspace(
    res: Parameters<RequestHandler>[1],
    { newInvitationUrl, problem }: { newInvitationUrl?: string; problem?: string } = {},
    status = 200,
  ) {
    const actor = pageActor(res);
    const members = await workspaces.members(actor);
    const workspace = await workspaces.get(actor);
    res.status(status).render(
      'accounts/workspace',
      toWorkspaceView({
        name: workspace.name,
        actor,
        members,
        users: await accounts.users(members.map((m) => m.userId)),
        invitations: actor.role === 'owner' ? await workspaces.openInvitations(actor) : [],
        newInvitationUrl,
        problem,
      }),
    );
  }

  /** GET /workspace — members and invitations */
  router.get('/workspace', async (_req, res) => {
    await renderWorkspace(res);
  });

  router.post('/workspace/invitations', async (req, res) => {
    const { role } = parseInput(InvitationInput, { role: formBody(req).role });
    const { token } = await workspaces.invite(pageActor(res), role);
    await renderWorkspace(
      res,
      // Never from the request's Host header, which a client chooses.
      { newInvitationUrl: `${deps.baseUrl}/invitations/${token}` },
      201,
    );
  });

  router.post('/workspace/invitations/:invitationId/revoke', async (req, res) => {
    const invitationId = String(req.params.invitationId);
    await workspaces.revokeInvitation(pageActor(res), invitationId);
    req.session.flash = 'The invitation has been revoked.';
    res.redirect(303, '/workspace');
  });

  router.post('/workspace/members/:userId/remove', async (req, res) => {
    const { userId } = parseInput(MemberParams, req.params);
    try {
      await workspaces.removeMember(pageActor(res), userId);
    } catch (err) {
      // The last owner (not offered by the page, but a stale page or a second tab may post it):
      // the same page again with the reason, not an error page.
      if (!(err instanceof ConflictError)) throw err;
      await renderWorkspace(res, { problem: err.message }, err.status);
      return;
    }
    req.session.flash = 'The member has been removed.';
    res.redirect(303, '/workspace');
  });

  router.post('/workspace/switch', async (req, res) => {
    const { workspaceId } = parseInput(SwitchWorkspaceInput, {
      workspaceId: formBody(req).workspaceId,
    });
    const actor = await workspaces.actorFor(pageActor(res).userId, workspaceId, 'session');
    if (!actor)
      throw new ValidationError([
        { path: 'workspaceId', message: 'You are not a member of that workspace.' },
      ]);
    req.session.workspaceId = workspaceId;
    res.redirect(303, '/dashboard');
  });

  /** GET /invitations/:token — what the invitation offers; accept, log in or sign up */
  router.get('/invitations/:token', async (req, res) => {
    const token = parseInput(InvitationToken, req.params.token);
    const { invitation, workspace } = await workspaces.previewInvitation(token);
    res.render('accounts/invitation', {
      title: 'Invitation',
      token,
      workspaceName: workspace.name,
      role: invitation.role,
      signedIn: Boolean(req.session.userId),
      loginUrl: `/login?next=${encodeURIComponent(`/invitations/${token}`)}`,
      signupUrl: `/signup?invite=${encodeURIComponent(token)}`,
    });
  });

  router.post('/invitations/:token', async (req, res) => {
    const token = parseInput(InvitationToken, req.params.token);
    // A signed-in user may have no workspace yet (or none left): the session is enough here.
    const { userId } = req.session;
    if (!userId) return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    const membership = await workspaces.acceptInvitation(token, userId);
    req.session.workspaceId = membership.workspaceId;
    req.session.flash = 'You have joined the workspace.';
    res.redirect(303, '/dashboard');
  });

  return router;
}
