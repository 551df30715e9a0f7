import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/db/embedded-server';
import { createLogger } from '../../src/shared/logging';

declare global {
  var __TEAMLENS_TEST_DB__: { server?: EmbeddedDatabase; dataDir?: string } | undefined;
}

/**
 * Starts one MongoDB-compatible server for the whole integration run, with the same code as
 * `npm start` (mongod if available, otherwise FerretDB), unless MONGODB_URI points at one.
 * Each test file then uses its own database on it (test/support/db.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    globalThis.__TEAMLENS_TEST_DB__ = {};
    return;
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-test-db-'));
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const kind = process.env.EMBEDDED_DB;
  const server = await startEmbeddedDatabase({
    dataDir,
    kind: kind === 'mongod' || kind === 'ferretdb' ? kind : 'auto',
    logger,
  });
  process.stderr.write(`\nintegration tests use ${server.description} at ${server.uri}\n`);
  process.env.TEST_MONGODB_URI = server.uri;
  // Tests that start servers of their own (restarts, persistence) use the kind that worked.
  process.env.TEST_EMBEDDED_DB = server.kind;
  globalThis.__TEAMLENS_TEST_DB__ = { server, dataDir };
}
