import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config';
import { CONTENT_DIR, PUBLIC_DIR, VIEWS_DIR } from './paths';
import { createCapabilityProbe, type CapabilityProbe } from './shared/db/capabilities';
import type { Connection } from './shared/db/connect';
import { createPreparation, type Preparation } from './shared/db/preparation';
import { awaitPreparation } from './shared/http/readiness';
import { createRateLimitStore } from './shared/db/rate-limit-store';
import {
  apiErrorHandler,
  apiNotFound,
  pageErrorHandler,
  pageNotFound,
} from './shared/http/error-handlers';
import { createHealthRouter } from './shared/http/health';
import { requestLogger } from './shared/http/request-logger';
import { securityHeaders } from './shared/http/security';
import { createCsrf, createSessions, saveSessionBeforeRedirect } from './shared/http/sessions';
import { deriveKey, keyRing, type Secrets } from './shared/keys';
import { signedLinks } from './shared/signed-links';
import type { Lifecycle } from './shared/lifecycle';
import type { Logger } from './shared/logging';
import { createAssetUrls } from './shared/views/assets';
import { createViewEngine } from './shared/views/engine';
import { createHelpers } from './shared/views/helpers';
import { createAccountsModule } from './features/accounts';
import { createActionsModule } from './features/actions';
import { createDashboardPagesRouter } from './features/dashboard';
import { createDemoModule } from './features/demo';
import { createHomeModule } from './features/home';
import { createInvitationsModule } from './features/invitations';
import { createQuestionnairesModule } from './features/questionnaires';
import { createReportsModule } from './features/reports';
import { createRespondentsModule, createResponseStore } from './features/responses';
import { createResultsModule } from './features/results';
import { createRoundsModule } from './features/rounds';
import { createSessionsModule } from './features/sessions';
import { createTeamsModule } from './features/teams';
import { createWorkspacesModule } from './features/workspaces';
import { buildOpenApiDocument, toApiDocsView } from './openapi';
import type { RenderPdf } from './shared/pdf';
import { createOutbox } from './shared/mail/outbox';
import { createOutboxRepository } from './shared/mail/outbox.repository';
import { createSmtpSender } from './shared/mail/smtp';

export type AppDeps = Readonly<{
  config: Config;
  conn: Connection;
  logger: Logger;
  clock: () => Date;
  lifecycle: Lifecycle;
  /**
   * The master secret (server.ts decides where it comes from): each use signs with a key
   * derived from it (shared/keys.ts), and config's previous one still verifies.
   */
  sessionSecret: string;
  /** What the database server can do; asked of the server when not given (tests pick one). */
  capabilities?: CapabilityProbe;
  /**
   * The database's preparation, which server.ts starts once the database answers; without one
   * (tests) the app prepares the database at its first use.
   */
  preparation?: Preparation;
  /**
   * Prints the PDF reports: a shared renderer (shared/pdf.ts) whose owner, server.ts or a test,
   * closes its browser at the end.
   */
  pdf: RenderPdf;
}>;

/**
 * Wires the application: no listening, no connecting, no reading of process.env. server.ts
 * and the tests call it with their own dependencies.
 */
export function createApp(deps: AppDeps): Express {
  const { config, conn, clock, logger } = deps;
  const app = express();
  app.set('trust proxy', config.http.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'hbs');
  // Resolve each view's path once; the engine itself compiled every template already.
  app.set('view cache', true);
  app.engine(
    'hbs',
    createViewEngine({ viewsDir: VIEWS_DIR, helpers: createHelpers(createAssetUrls(PUBLIC_DIR)) }),
  );

  // Features, from the ones that depend on nothing to the ones that compose others.
  const secrets: Secrets = {
    current: deps.sessionSecret,
    previous: config.auth.previousSessionSecret,
  };
  const csrf = createCsrf();
  const rateLimits = createRateLimitStore(conn, {
    clock,
    logger,
    secret: deriveKey(secrets.current, 'rateLimitKeys'),
  });
  const preparation = deps.preparation ?? createPreparation({ logger });
  const workspaces = createWorkspacesModule({ conn, clock, preparation });
  const accounts = createAccountsModule({
    conn,
    workspaces: workspaces.service,
    rateLimits,
    limits: { perIp: config.auth.rateLimitPerIp, perAccount: config.auth.rateLimitPerAccount },
    clock,
    csrfToken: csrf.token,
    baseUrl: config.http.baseUrl,
    preparation,
  });
  const questionnaires = createQuestionnairesModule({
    conn,
    contentDir: path.join(CONTENT_DIR, 'questionnaires'),
    clock,
    logger,
    preparation,
  });
  const responses = createResponseStore({
    conn,
    capabilities: deps.capabilities ?? createCapabilityProbe(conn),
    preparation,
  });
  const teams = createTeamsModule({ conn, clock, preparation });
  const rounds = createRoundsModule({
    conn,
    clock,
    teams: teams.service,
    questionnaires: questionnaires.service,
    responses: { countByRound: responses.sizes },
    baseUrl: config.http.baseUrl,
    invitationsEnabled: config.mail !== null,
    preparation,
  });
  const outboxRepository = createOutboxRepository(conn);
  const outbox = createOutbox({
    repository: outboxRepository,
    send: config.mail ? createSmtpSender(config.mail) : null,
    clock,
    logger,
  });
  // Once prepared, the outbox sends what a stopped process left queued.
  preparation.add({
    name: 'mail outbox',
    run: async () => {
      await outboxRepository.init();
      outbox.wake();
    },
  });
  const invitations = createInvitationsModule({
    conn,
    rounds: rounds.service,
    team: (actor, teamId) => teams.service.get(actor, teamId),
    user: (userId) => accounts.service.user(userId),
    outbox,
    // Links mailed before keys were derived were signed with the master itself: they keep
    // working while it is the current or previous secret.
    keys: keyRing(secrets, 'invitationLinks', { underived: true }),
    baseUrl: config.http.baseUrl,
    clock,
    logger,
    preparation,
  });
  deps.lifecycle.atStop(() => invitations.service.writeWaitingMarks());
  deps.lifecycle.atStop(() => responses.flush());
  // A live session's screens hear of an answer stored here at once (others' at their next read).
  let answered: (roundId: string) => void = () => undefined;
  const respondents = createRespondentsModule({
    invitations: invitations.service,
    store: {
      ...responses,
      save: async (input) => {
        const saved = await responses.save(input);
        answered(input.roundId);
        return saved;
      },
    },
    rateLimits,
    clock,
    secureCookies: config.http.secureCookies,
    baseUrl: config.http.baseUrl,
    rounds: rounds.service,
    questionnaires: questionnaires.service,
    teamName: (workspaceId, teamId) => teams.service.nameForRespondents(workspaceId, teamId),
  });
  const actions = createActionsModule({
    conn,
    preparation,
    clock,
    teams: teams.service,
    rounds: rounds.service,
    questionnaires: questionnaires.service,
  });
  const reports = createReportsModule({
    rounds: rounds.service,
    teams: teams.service,
    questionnaires: questionnaires.service,
    responses,
    actions: actions.service,
    clock,
    pdf: (html, format, css) => deps.pdf({ html, styles: [...printStyles(), css], format }),
  });
  const live = createSessionsModule({
    conn,
    preparation,
    lifecycle: deps.lifecycle,
    logger,
    clock,
    rounds: rounds.service,
    teams: teams.service,
    sizes: responses.sizes,
    roomReport: reports.service.roomReport,
    actions: actions.service,
    presenterLinks: signedLinks(keyRing(secrets, 'presenterLinks'), 'presenter'),
    baseUrl: config.http.baseUrl,
    pollMs: config.live.pollMs,
    heartbeatMs: config.live.heartbeatMs,
  });
  answered = live.answered;
  const results = createResultsModule({
    conn,
    preparation,
    rounds: rounds.service,
    reports: reports.service,
    links: signedLinks(keyRing(secrets, 'resultsLinks'), 'results'),
    baseUrl: config.http.baseUrl,
    clock,
  });
  const demo = createDemoModule({
    teams: teams.service,
    actions: actions.service,
    rounds: rounds.service,
    responses: respondents.service,
    questionnaires: questionnaires.service,
  });
  const home = createHomeModule();
  // The API's one list of features, in the order the API docs page lists them: each router is
  // mounted and documented from this list (see shared/http/openapi.ts: `route`).
  const apiRouters = [
    questionnaires.apiRouter,
    accounts.apiRouter,
    teams.apiRouter,
    rounds.apiRouter,
    live.apiRouter,
    reports.apiRouter,
    respondents.apiRouter,
    actions.apiRouter,
    invitations.apiRouter,
    results.apiRouter,
    demo.apiRouter,
  ];
  const openapi = buildOpenApiDocument(apiRouters);
  app.set('openapi', openapi);

  app.use(requestLogger(logger));
  app.use(securityHeaders({ https: config.http.secureCookies }));
  app.use(closeConnectionsWhileShuttingDown(deps.lifecycle));
  app.use(
    express.static(PUBLIC_DIR, {
      index: false,
      setHeaders: (res) => {
        // Fingerprinted URLs (?v=<hash>, see shared/views/assets.ts) never change content.
        const versioned = typeof res.req.query.v === 'string';
        res.setHeader(
          'Cache-Control',
          versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
        );
      },
    }),
  );
  app.use(createHealthRouter({ conn, lifecycle: deps.lifecycle }));
  // Shutdown waits for the requests that get past here (see server.ts); static files and
  // health checks never wait for the database.
  app.use((_req, res, next) => {
    deps.lifecycle.track(res);
    next();
  });

  // The one readiness gate (see shared/http/readiness.ts), before the first router of each
  // door that needs the database.
  const prepared = awaitPreparation(preparation.ready);

  // The API door: JSON bodies, bearer tokens, JSON errors. It never reads the session cookie,
  // so it needs no CSRF protection.
  const api = express.Router();
  api.use(express.json({ limit: config.http.bodyLimit }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // Each feature's router registers its routes at the full paths of its OpenAPI operations
  // (see shared/http/openapi.ts: `route`), so none is mounted under a prefix.
  for (const { withoutDatabase } of apiRouters) api.use(withoutDatabase);
  api.use(prepared);
  api.use(accounts.authenticateApi);
  for (const { router } of apiRouters) api.use(router);
  api.use(apiNotFound);
  api.use(apiErrorHandler);
  app.use('/api/v1', api);

  // The page door: form bodies, a session cookie, a CSRF token on every form, HTML errors.
  const sessions = createSessions({
    conn,
    keys: keyRing(secrets, 'sessionCookies'),
    secure: config.http.secureCookies,
    clock,
    logger,
  });
  app.use(express.urlencoded({ extended: false, limit: config.http.bodyLimit }));
  app.use('/r', prepared);
  // Respondents answer without an account: their pages come before the session, so answering
  // creates no session (see responses/response.pages.ts for how their forms are protected).
  app.use(respondents.pagesRouter);
  // The shared screen of a live session has no account either, and no form.
  app.use('/present', prepared);
  app.use(live.presenterPagesRouter);
  // The team's results page needs no account either (results/results.pages.ts).
  app.use('/results', prepared);
  app.use(results.publicRouter);
  app.use(sessions.middleware);
  app.use(saveSessionBeforeRedirect());
  app.use(csrf.protect);
  app.use(accounts.loadPageActor);
  app.get('/api/docs', (_req, res) => {
    res.render('api/docs', toApiDocsView(openapi, apiRouters));
  });
  // The home page and the API's documentation need no database; every page after them waits
  // until it is prepared.
  app.use(home.pagesRouter);
  app.use(prepared);
  app.use(accounts.pagesRouter);
  app.use(
    createDashboardPagesRouter({
      teams: teams.service,
      rounds: rounds.service,
      workspaces: workspaces.service,
      actions: actions.service,
    }),
  );
  app.use(actions.pagesRouter);
  app.use(invitations.pagesRouter);
  app.use(teams.pagesRouter({ roundsOf: rounds.roundsOfTeam, actionsOf: actions.rowsOfTeam }));
  app.use(rounds.pagesRouter);
  app.use(live.facilitatorPagesRouter);
  app.use(results.pagesRouter);
  app.use(reports.pagesRouter);
  app.use(demo.pagesRouter);
  app.use(questionnaires.pagesRouter);
  app.use(pageNotFound);
  app.use(pageErrorHandler);
  return app;
}

/** The style sheets a PDF is printed with, read when a PDF is made (it loads nothing itself). */
function printStyles(): string[] {
  return ['app.css', 'print.css'].map((name) =>
    readFileSync(path.join(PUBLIC_DIR, 'css', name), 'utf8'),
  );
}

/** During shutdown, answer what is in flight but ask every client to reconnect elsewhere. */
function closeConnectionsWhileShuttingDown(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  };
}
