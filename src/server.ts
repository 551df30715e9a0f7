import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { closeDatabase, connectWithRetry, createDatabaseConnection } from './shared/db/connect';
import { createPreparation } from './shared/db/preparation';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './shared/db/embedded-server';
import { createLifecycle, type Lifecycle } from './shared/lifecycle';
import { unreachableLinks } from './shared/http/loopback';
import { createLogger, type Logger } from './shared/logging';
import { createPdfRenderer } from './shared/pdf';

/**
 * The process entry point, and the only module that touches `process`: load the configuration,
 * start or find the database, serve HTTP, and shut down gracefully on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.log.level });
  const unreachable = unreachableLinks(config.http.baseUrl);
  if (unreachable) {
    // Coaches see it on the round and invitations pages too; whoever starts the service, here.
    logger.warn(
      { baseUrl: config.http.baseUrl, baseUrlConfigured: config.http.baseUrlConfigured },
      `links handed out (rounds, QR codes, invitation e-mails) point at ${unreachable.origin}, which only this machine opens: ` +
        `set BASE_URL=https://… (the address the team uses) or BASE_URL=http://${hostname()}:${unreachable.port} with HOST=0.0.0.0, and restart`,
    );
  }
  process.on('uncaughtException', (err) => fatal(logger, err, 'uncaught exception'));
  process.on('unhandledRejection', (err) => fatal(logger, err, 'unhandled rejection'));

  let embedded: EmbeddedDatabase | undefined;
  let uri = config.mongo.uri;
  if (uri === undefined) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.embedded.dataDir,
      kind: config.embedded.kind,
      logger,
      // Restarts failed (logged): exit, loudly, for whatever runs the service to step in.
      onGiveUp: () => process.exit(1),
    });
    // The embedded server's URI names no database; ours is called "teamlens".
    uri = `${embedded.uri.replace(/\/?$/, '/')}teamlens`;
    logger.info(
      {
        server: embedded.description,
        uri: embedded.uri,
        dataDir: embedded.dataDir,
        pid: embedded.pid(),
      },
      `embedded database started: ${embedded.description}, data in ${embedded.dataDir}`,
    );
  }

  const conn = createDatabaseConnection();
  // Not awaited: the HTTP server starts at once so /healthz answers and /readyz reports 503
  // until the database is reachable; database-backed requests get 503 meanwhile.
  const connecting = connectWithRetry(conn, uri, { timeoutMs: config.mongo.timeoutMs, logger });

  const lifecycle = createLifecycle();
  const sessionSecret = await resolveSessionSecret(config, embedded, logger);
  // Indexes and built-in content, once, as soon as the database answers (see preparation.ts).
  const preparation = createPreparation({ logger });
  // One Chromium for every PDF, started at the first (see shared/pdf.ts).
  const pdf = createPdfRenderer({ ...config.pdf, logger });
  lifecycle.atStop(() => pdf.close());
  const app = createApp({
    config,
    conn,
    logger,
    clock: () => new Date(),
    lifecycle,
    sessionSecret,
    preparation,
    pdf: pdf.render,
  });
  void connecting.connected.then((connected) => {
    if (connected) preparation.start();
  });
  // Slow clients must not hold sockets forever (slowloris): headers within 10 s, the whole
  // request within 30 s, checked every second (Node's default is every 30 s).
  const server = http.createServer(
    {
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  server.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  logger.info(
    { port, host: config.http.host },
    `Teamlens listening on http://${displayHost(config.http.host)}:${port}`,
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    lifecycle.beginShutdown();
    const forced = setTimeout(() => {
      logger.error({ graceMs: config.http.shutdownGraceMs }, 'shutdown grace period over, exiting');
      server.closeAllConnections();
      process.exit(1);
    }, config.http.shutdownGraceMs);
    forced.unref();
    void stopAll(server, lifecycle, logger, async () => {
      connecting.stop();
      await closeDatabase(conn);
      await embedded?.stop();
    }).then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => fatal(logger, err, 'shutdown failed'),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

async function stopAll(
  server: Server,
  lifecycle: Lifecycle,
  logger: Logger,
  closeRest: () => Promise<void>,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    // close() stops accepting, ends idle keep-alive sockets, and calls back once every
    // connection has ended: answered, or left by its client.
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
  logger.info('HTTP server closed');
  // Requests whose clients left may still be at work (a submission waiting for the database):
  // closing the database under them would fail them half-way.
  await lifecycle.settled();
  for (const result of await lifecycle.runStopTasks())
    if (result.status === 'rejected') logger.error({ err: result.reason }, 'a stop task failed');
  await closeRest();
}

/**
 * SESSION_SECRET when set. Otherwise, with the embedded database, a secret kept beside its data
 * (so sign-ins survive a restart of `npm start`); with an external database, a random one per
 * start, with a warning: several instances need one shared secret.
 */
async function resolveSessionSecret(
  config: Config,
  embedded: EmbeddedDatabase | undefined,
  logger: Logger,
): Promise<string> {
  if (config.auth.sessionSecret) return config.auth.sessionSecret;
  if (!embedded) {
    logger.warn(
      'SESSION_SECRET is not set: sign-ins end at every restart and are not shared between instances',
    );
    return randomBytes(32).toString('base64url');
  }
  const file = path.join(config.embedded.dataDir, 'session-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await mkdir(config.embedded.dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    logger.info({ file }, 'created a session secret for the embedded setup');
    return secret;
  }
}

function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

function fatal(logger: Logger, err: unknown, msg: string): never {
  logger.fatal({ err }, msg);
  process.exit(1);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Teamlens could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
