import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config';
import { CONTENT_DIR, PUBLIC_DIR, VIEWS_DIR } from './paths';
import type { Connection } from './shared/db/connect';
import {
  apiErrorHandler,
  apiNotFound,
  pageErrorHandler,
  pageNotFound,
} from './shared/http/error-handlers';
import { createHealthRouter } from './shared/http/health';
import { requestLogger } from './shared/http/request-logger';
import { securityHeaders } from './shared/http/security';
import type { Lifecycle } from './shared/lifecycle';
import type { Logger } from './shared/logging';
import { createAssetUrls } from './shared/views/assets';
import { createViewEngine } from './shared/views/engine';
import { createHelpers } from './shared/views/helpers';
import { createHomeModule } from './features/home';
import { createQuestionnairesModule } from './features/questionnaires';
import { buildOpenApiDocument, toApiDocsView } from './openapi';

export type AppDeps = Readonly<{
  config: Config;
  conn: Connection;
  logger: Logger;
  clock: () => Date;
  lifecycle: Lifecycle;
}>;

/**
 * Wires the application: no listening, no connecting, no reading of process.env. server.ts
 * and the tests call it with their own dependencies.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set('trust proxy', deps.config.http.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'hbs');
  // Resolve each view's path once; the engine itself compiled every template already.
  app.set('view cache', true);
  app.engine(
    'hbs',
    createViewEngine({ viewsDir: VIEWS_DIR, helpers: createHelpers(createAssetUrls(PUBLIC_DIR)) }),
  );

  app.use(requestLogger(deps.logger));
  app.use(securityHeaders({ https: deps.config.http.secureCookies }));
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
  app.use(createHealthRouter({ conn: deps.conn, lifecycle: deps.lifecycle }));

  const home = createHomeModule();
  const questionnaires = createQuestionnairesModule({
    conn: deps.conn,
    contentDir: path.join(CONTENT_DIR, 'questionnaires'),
    clock: deps.clock,
    logger: deps.logger,
  });

  // Each door parses its own bodies, so a body error is answered in that door's format:
  // JSON under /api/v1, an HTML page elsewhere.
  const api = express.Router();
  api.use(express.json({ limit: deps.config.http.bodyLimit }));
  const openapi = buildOpenApiDocument();
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use('/questionnaires', questionnaires.apiRouter);
  api.use(apiNotFound);
  api.use(apiErrorHandler);
  app.use('/api/v1', api);

  app.use(express.urlencoded({ extended: false, limit: deps.config.http.bodyLimit }));
  app.get('/api/docs', (_req, res) => {
    res.render('api/docs', toApiDocsView(openapi));
  });
  app.use(home.pagesRouter);
  app.use(questionnaires.pagesRouter);
  app.use(pageNotFound);
  app.use(pageErrorHandler);
  return app;
}

/** During shutdown, answer what is in flight but ask every client to reconnect elsewhere. */
function closeConnectionsWhileShuttingDown(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.isShuttingDown()) res.setHeader('Connection', 'close');
    next();
  };
}
