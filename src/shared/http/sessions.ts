import type { RequestHandler } from 'express';
import session from 'express-session';
import { csrfSync } from 'csrf-sync';
import type { Connection } from '../db/connect';
import { MongooseSessionStore } from '../db/session-store';
import type { KeyRing } from '../keys';
import type { Logger } from '../logging';

export const SESSION_COOKIE = 'teamlens.sid';
const SESSION_TTL_MS = 7 * 24 * 3600_000;

/**
 * Cookie sessions for pages (the API uses bearer tokens and never reads this cookie), stored in
 * MongoDB so any number of instances can serve a user. The cookie is httpOnly and SameSite=Lax,
 * and Secure when the deployment says it runs on HTTPS. Whether a request came over HTTPS is
 * Express's `req.secure` (no `proxy` option here): X-Forwarded-Proto counts only from a peer
 * that TRUST_PROXY trusts, never from any client.
 */
export function createSessions(deps: {
  conn: Connection;
  /** Signs the cookie; the previous keys still verify cookies signed before a rotation. */
  keys: KeyRing;
  secure: boolean;
  clock: () => Date;
  logger: Logger;
}): { middleware: RequestHandler; store: MongooseSessionStore } {
  const store = new MongooseSessionStore(deps.conn, {
    ttlMs: SESSION_TTL_MS,
    clock: deps.clock,
    logger: deps.logger,
  });
  const middleware = session({
    name: SESSION_COOKIE,
    // express-session signs with the first and accepts any; a cookie signed with a previous key
    // is signed again with the current one at its next response (rolling), so sessions in use
    // move to the new key during the rotation.
    secret: [deps.keys.current, ...deps.keys.previous],
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: deps.secure, maxAge: SESSION_TTL_MS },
  });
  return { middleware, store };
}

/**
 * Saves a form's session change before its redirect leaves. express-session writes a
 * response's headers before its store has saved the session (expressjs/session #360), and a
 * browser follows a redirect as soon as the headers arrive: the next page could read the
 * session from before the change (a flash message lost, in Chromium about one time in four).
 * Only after forms (not GET redirects, such as to the log-in page, which must not store a
 * session for every visitor); a destroyed session (log-out) or one holding nothing but its
 * cookie has nothing to save.
 */
export function saveSessionBeforeRedirect(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = (...args: unknown[]) => {
      const holdsSomething = Object.keys(req.session ?? {}).some((key) => key !== 'cookie');
      if (!holdsSomething) return redirect(...args);
      req.session.save((err) => (err ? next(err) : redirect(...args)));
    };
    next();
  };
}

/**
 * Synchroniser-token CSRF protection for every form (csrf-sync; csurf is deprecated): the token
 * lives in the session and must come back in the `_csrf` field (or the X-CSRF-Token header).
 */
export function createCsrf() {
  const csrf = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = body?._csrf;
      return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
    },
    errorConfig: {
      statusCode: 403,
      code: 'CSRF_INVALID',
      message:
        'This form has expired or was sent from another site. Go back, reload the page and try again.',
    },
  });
  return {
    protect: csrf.csrfSynchronisedProtection,
    /** The current token (created on first use), for `<input name="_csrf">`. */
    token: (req: Parameters<typeof csrf.generateToken>[0]) => csrf.generateToken(req),
  };
}

/** Returns the CSRF token of the request's session, for forms. */
export type CsrfTokenFor = ReturnType<typeof createCsrf>['token'];
