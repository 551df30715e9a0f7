// The app in this process on loopback, with a database of its own (MONGODB_URI, else an
// embedded one in a temporary folder): what the benchmarks and the API fuzzing run against.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import {
  closeDatabase,
  createDatabaseConnection,
  openDatabase,
  type Connection,
} from '../../src/shared/db/connect';
import { startEmbeddedDatabase } from '../../src/shared/db/embedded-server';
import { createCapabilityProbe, MONGODB_CAPABILITIES } from '../../src/shared/db/capabilities';
import {
  collectionOf,
  ensureIndex,
  layoutFor,
  type ResponseLayout,
} from '../../src/features/responses/response.repository';
import { createLifecycle } from '../../src/shared/lifecycle';
import { createLogger } from '../../src/shared/logging';
import { createPdfRenderer, type RenderPdf } from '../../src/shared/pdf';

/** A response document as the responses store keeps it (response.model.ts). */
export type StoredResponseDoc = Readonly<{
  _id: string;
  workspaceId: string;
  roundId: string;
  editKeyHash: string;
  day: string;
  answers: readonly Record<string, unknown>[];
}>;

/**
 * Stores response documents in bulk behind an app's back (data a benchmark needs in quantity),
 * where the responses store of `layout` keeps them.
 */
export async function storeResponses(
  conn: Connection,
  layout: ResponseLayout,
  docs: readonly StoredResponseDoc[],
): Promise<void> {
  const byRound = new Map<string, StoredResponseDoc[]>();
  for (const doc of docs) byRound.set(doc.roundId, [...(byRound.get(doc.roundId) ?? []), doc]);
  for (const [roundId, group] of byRound) {
    const responses = conn.collection(collectionOf(layout, roundId));
    await ensureIndex(responses as never);
    await responses.insertMany(group.map((d) => ({ ...d })) as never[]);
  }
}

export type LocalApp = Readonly<{
  /** http://127.0.0.1:<port> */
  origin: string;
  conn: Connection;
  /** Which database: the embedded server's description, or "MONGODB_URI" (and SERVE_AS). */
  database: string;
  /** The embedded database server's process id (null with MONGODB_URI): its CPU is measured. */
  databasePid: () => number | null;
  /**
   * Stores response documents in bulk behind the app's back (data a benchmark needs in
   * quantity), where the app's store keeps them: its layout follows the server.
   */
  storeResponses: (docs: readonly StoredResponseDoc[]) => Promise<void>;
  stop: () => Promise<void>;
}>;

/** `pdf` replaces the configured PDF renderer (the PDF benchmark's baseline). */
export async function startLocalApp(
  env: Record<string, string> = {},
  options: { pdf?: RenderPdf } = {},
): Promise<LocalApp> {
  // Errors only (LOG_LEVEL to see more): fuzzing makes thousands of 4xx on purpose.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-local-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({
        dataDir,
        kind: process.env.EMBEDDED_DB === 'mongod' ? 'mongod' : 'ferretdb',
        logger,
      });
  const conn = createDatabaseConnection();
  await openDatabase(conn, process.env.MONGODB_URI ?? embedded!.uri, {
    timeoutMs: 5000,
    dbName: `local_${randomBytes(3).toString('hex')}`,
    // The round-trip benchmark counts the driver's commands.
    monitorCommands: true,
  });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_IP: '100000',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
    ...env,
  });
  // SERVE_AS=mongodb: the MongoDB path on whatever server this is (its round trips transfer).
  const capabilities =
    process.env.SERVE_AS === 'mongodb' ? MONGODB_CAPABILITIES : await createCapabilityProbe(conn)();
  const layout = layoutFor(capabilities);
  const renderer = createPdfRenderer({ ...config.pdf, logger });
  const app = createApp({
    config,
    conn,
    logger,
    clock: () => new Date(),
    lifecycle: createLifecycle(),
    sessionSecret: randomBytes(32).toString('hex'),
    capabilities: () => Promise.resolve(capabilities),
    pdf: options.pdf ?? renderer.render,
  });
  const server = app.listen(0, '127.0.0.1');
  server.requestTimeout = 0; // a slow case must be measured, not cut off
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    conn,
    database:
      (embedded ? embedded.description : 'MONGODB_URI') +
      (process.env.SERVE_AS === 'mongodb' ? ', served as MongoDB' : ''),
    storeResponses: (docs) => storeResponses(conn, layout, docs),
    databasePid: () => embedded?.pid() ?? null,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await renderer.close();
      await conn.dropDatabase();
      await closeDatabase(conn);
      await embedded?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to /api/v1 that throws on any status but 2xx. */
export function apiClient(origin: string) {
  let token = '';
  const call = async <T = Record<string, unknown>>(
    method: string,
    p: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${p}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    call,
    get token() {
      return token;
    },
    /**
     * Signs up a coach (owner of a new workspace) and uses its token from then on; returns the
     * credentials, for a log-in through the pages (`sessionCookie`).
     */
    async signup(name: string): Promise<{ email: string; password: string }> {
      const credentials = {
        email: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(4).toString('hex')}@example.com`,
        password: `${name} password 1`,
      };
      const created = await call<{ token: string }>('POST', '/auth/signup', {
        name,
        ...credentials,
        workspaceName: name,
      });
      token = created.token;
      return credentials;
    },
  };
}

/** A session cookie as a browser gets one: the log-in form with its CSRF token and cookie. */
export async function sessionCookie(
  origin: string,
  credentials: { email: string; password: string },
): Promise<string> {
  const cookiesOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  const form = await fetch(`${origin}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form) },
    body: new URLSearchParams({ _csrf: csrf, ...credentials }).toString(),
  });
  const cookie = cookiesOf(login);
  if (login.status !== 303 || !cookie) throw new Error(`log-in failed: ${login.status}`);
  return cookie;
}
