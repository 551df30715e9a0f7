import type { Express } from 'express';
import mongoose from 'mongoose';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { DatabaseCapabilities } from '../../src/shared/db/capabilities';
import type { Connection } from '../../src/shared/db/connect';
import { createLifecycle, type Lifecycle } from '../../src/shared/lifecycle';
import { createLogger, type Logger } from '../../src/shared/logging';
import type { RenderPdf } from '../../src/shared/pdf';
import { testPdfRenderer } from './pdf';

/** A test clock: fixed unless a test moves it. */
export const FIXED_NOW = new Date('2026-03-02T10:00:00.000Z');

/**
 * A clock that moves a second at every reading, from 2026-10-01, as a real one does: rounds
 * opened one after the other have an order in time (the previous round, actions since then).
 */
export function movingClock(): () => Date {
  let tick = 0;
  return () => new Date(Date.UTC(2026, 9, 1) + 1000 * tick++);
}

/**
 * createApp with test settings: quiet logs (LOG_LEVEL=debug to see them), a fixed clock, and
 * its own lifecycle. `env` overrides configuration keys exactly as the environment would;
 * `capabilities` makes the app treat the database as that kind of server (both ways of
 * counting responses run on the test database: see responses/response.counting.ts).
 * `sessionSecret` is the master secret server.ts would pass (a fixed one by default). Its PDFs
 * come from a renderer of its own, as configured, closed after the file; or from `pdf`.
 */
export function buildTestApp(
  conn: Connection,
  options: {
    env?: Record<string, string>;
    lifecycle?: Lifecycle;
    clock?: () => Date;
    logger?: Logger;
    capabilities?: DatabaseCapabilities;
    sessionSecret?: string;
    pdf?: RenderPdf;
  } = {},
): Express {
  const config = loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...options.env });
  const logger = options.logger ?? createLogger({ level: config.log.level });
  return createApp({
    config,
    conn,
    logger,
    clock: options.clock ?? (() => FIXED_NOW),
    lifecycle: options.lifecycle ?? createLifecycle(),
    sessionSecret: options.sessionSecret ?? 'test-session-secret-that-is-long-enough',
    ...(options.capabilities ? { capabilities: () => Promise.resolve(options.capabilities!) } : {}),
    pdf: options.pdf ?? testPdfRenderer({ ...config.pdf, logger }).render,
  });
}

/** The OpenAPI document the app serves at /api/v1/openapi.json, built from its API routers. */
export const openApiDocumentOf = (app: Express): Record<string, unknown> =>
  app.get('openapi') as Record<string, unknown>;

/**
 * The OpenAPI document without a database: it comes from the app's API routers, which are built
 * on a connection that is never opened (nothing is asked of it), for tests that need it before
 * any database is there (unit tests, `it.each` over the operations).
 */
export const apiDocument = (): Record<string, unknown> =>
  openApiDocumentOf(buildTestApp(mongoose.createConnection()));
