import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUri, testEmbeddedKind } from '../../support/db';
import { freePort } from '../../support/ports';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import {
  closeDatabase,
  createDatabaseConnection,
  openDatabase,
} from '../../../src/shared/db/connect';

/** The real entry point as a separate process: start-up, signals, exit codes. */
const running: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.kill('SIGKILL')));
});

/** Asserts a clean exit after SIGTERM; on failure the message shows the server's last words. */
async function expectCleanExit(server: ServerProcess): Promise<void> {
  const code = await server.kill('SIGTERM');
  expect({ code, diagnostics: code === 0 ? '' : server.diagnostics() }).toEqual({
    code: 0,
    diagnostics: '',
  });
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  running.push(server);
  return server;
}

function readUntil(socket: net.Socket, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      if (pattern.test(received)) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

function readToEnd(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.once('end', () => resolve(received));
    socket.once('error', reject);
  });
}

describe('SIGTERM', () => {
  it('lets a request in flight finish, then closes the database and exits with code 0', async () => {
    // Arrange: a request whose headers the server has parsed (it answered 100 Continue)
    // but whose body has not been sent yet.
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}teamlens_shutdown` });
    await server.waitForLog(/^database connected/);
    const socket = net.connect(server.port, '127.0.0.1');
    socket.write(
      'POST /api/v1/in-flight HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2\r\nExpect: 100-continue\r\n\r\n',
    );
    await readUntil(socket, /100 Continue\r\n\r\n/);
    const response = readToEnd(socket);

    // Act: SIGTERM, then the body arrives.
    const exitCode = server.kill('SIGTERM');
    await server.waitForLog(/^shutting down/);
    socket.write('{}');

    // Assert: the request got its full answer, then the server ended the connection (the
    // response promise resolves on the socket's end); the process ended cleanly.
    const raw = await response;
    expect(raw).toMatch(/^HTTP\/1\.1 404 Not Found/);
    expect(raw).toContain('"code":"ROUTE_NOT_FOUND"');
    expect(await exitCode).toBe(0);
    expect(server.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['HTTP server closed', 'shutdown complete']),
    );
  });

  it('when idle, exits with code 0', async () => {
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}teamlens_idle` });
    await expectCleanExit(server);
  });
});

describe('MONGODB_URI pointing at a port where nothing listens', () => {
  it('stays up: /healthz 200, /readyz 503, pages served, and SIGTERM still exits 0', async () => {
    const deadPort = await freePort();
    const server = await start({
      MONGODB_URI: `mongodb://127.0.0.1:${deadPort}/teamlens`,
      DB_TIMEOUT_MS: '500',
    });

    const health = await fetch(`${server.baseUrl}/healthz`);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    const home = await fetch(`${server.baseUrl}/`);

    expect(health.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect(home.status).toBe(200);
    await server.waitForLog(/^database not reachable, retrying/);
    await expectCleanExit(server);
  });
});

describe('without MONGODB_URI', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-start-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('starts an embedded database, says which and where, and keeps its data across restarts', async () => {
    // Arrange: first start; write a document straight into its database.
    const env = { DATA_DIR: dataDir, EMBEDDED_DB: testEmbeddedKind() };
    const first = await start(env);
    const started = await first.waitForLog(/^embedded database started/);
    expect(String(started.dataDir).startsWith(dataDir)).toBe(true);
    expect(started.server).toMatch(/FerretDB|mongod/);
    await first.waitForLog(/^database connected/);
    expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
    await withDatabase(String(started.uri), (conn) =>
      conn.collection('notes').insertOne({ text: 'survives a restart' }),
    );
    await expectCleanExit(first);

    // Act: start again on the same data folder.
    const second = await start(env);
    const restarted = await second.waitForLog(/^embedded database started/);

    // Assert
    const found = await withDatabase(String(restarted.uri), (conn) =>
      conn.collection('notes').findOne({ text: 'survives a restart' }),
    );
    expect(found).not.toBeNull();
    await expectCleanExit(second);
  });
});

async function withDatabase<T>(
  uri: string,
  use: (conn: ReturnType<typeof createDatabaseConnection>) => Promise<T>,
): Promise<T> {
  const conn = createDatabaseConnection();
  await openDatabase(conn, uri, { timeoutMs: 5000, dbName: 'teamlens' });
  try {
    return await use(conn);
  } finally {
    await closeDatabase(conn);
  }
}
