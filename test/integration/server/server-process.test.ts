import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUri, testEmbeddedKind } from '../../support/db';
import { aDcfAnswer } from '../../support/factories';
import { apiFor, apiSignup } from '../../support/api-client';
import { freePort, waitFor } from '../../support/ports';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import {
  closeDatabase,
  createDatabaseConnection,
  openDatabase,
} from '../../../src/shared/db/connect';
import { countStoredResponses } from '../../support/responses';

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
    // In flight at SIGTERM, and still told to close: a persistent client must not hold the exit.
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(raw).toContain('"code":"ROUTE_NOT_FOUND"');
    expect(await exitCode).toBe(0);
    expect(server.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['HTTP server closed', 'shutdown complete']),
    );
  });

  it('prepares the database at start, before any request: built-in questionnaires', async () => {
    const dbName = `teamlens_prepare_${randomBytes(3).toString('hex')}`;
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}${dbName}` });
    await server.waitForLog(/^database prepared$/);

    const conn = createDatabaseConnection();
    await openDatabase(conn, testDatabaseUri(), { timeoutMs: 5000, dbName });
    try {
      const builtins = await conn.collection('questionnaires').distinct('definition.slug');
      expect(builtins).toEqual(
        expect.arrayContaining(['active-practice', 'tensions-in-how-we-work']),
      );
    } finally {
      await conn.dropDatabase();
      await closeDatabase(conn);
    }
    await expectCleanExit(server);
  });

  it('when idle, exits with code 0', async () => {
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}teamlens_idle` });
    await expectCleanExit(server);
  });
});

describe('SIGTERM during submissions', () => {
  it('lets every submission in flight finish and be stored, then exits with code 0', async () => {
    // Arrange: an open round, and five submissions whose headers the server has parsed
    // (100 Continue) but whose bodies are still on their way.
    const dbName = `teamlens_inflight_${Date.now()}`;
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}${dbName}` });
    await server.waitForLog(/^database connected/);
    const link = await openRoundOn(server.baseUrl);
    const body = JSON.stringify(aDcfAnswer('In flight'));
    const sockets = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const socket = net.connect(server.port, '127.0.0.1');
        socket.write(
          `POST /api/v1/r/${link} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
        );
        await readUntil(socket, /100 Continue\r\n\r\n/);
        return { socket, answer: readToEnd(socket) };
      }),
    );

    // Act: SIGTERM, then the bodies arrive.
    const exitCode = server.kill('SIGTERM');
    await server.waitForLog(/^shutting down/);
    for (const { socket } of sockets) socket.write(body);

    // Assert: every submission was answered 201 and stored; the process ended cleanly.
    const answers = await Promise.all(sockets.map((s) => s.answer));
    for (const answer of answers) expect(answer).toMatch(/HTTP\/1\.1 201 Created/);
    expect(await exitCode).toBe(0);
    const stored = await withDatabase(
      testDatabaseUri(),
      (conn) => countStoredResponses(conn),
      dbName,
    );
    expect(stored).toBe(5);
  });
});

describe('SIGTERM after clients gave up waiting', () => {
  it('finishes the submissions they left behind before it closes the database', async () => {
    // Arrange: thirty submissions to three rounds, sent in full. A round's submissions are
    // stored one at a time, so most of them wait in line.
    const dbName = `teamlens_abandoned_${Date.now()}`;
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}${dbName}` });
    await server.waitForLog(/^database connected/);
    const links = [
      await openRoundOn(server.baseUrl),
      await openRoundOn(server.baseUrl),
      await openRoundOn(server.baseUrl),
    ];
    const body = JSON.stringify(aDcfAnswer('Left behind'));
    const sockets = Array.from({ length: 30 }, (_, i) => {
      const link = links[i % links.length]!;
      const socket = net.connect(server.port, '127.0.0.1');
      socket.write(
        `POST /api/v1/r/${link} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return socket;
    });

    // Act: once the first is answered, every client gives up (its socket closes), then SIGTERM.
    await Promise.race(sockets.map((socket) => readUntil(socket, /^HTTP\/1\.1 201/)));
    for (const socket of sockets) socket.destroy();
    const code = await server.kill('SIGTERM');

    // Assert: a clean exit with no error logged, and every submission that reached the app
    // stored, those left behind included: none was cut off by the database closing under it.
    // (Connections the server had not accepted yet when SIGTERM came are never accepted.)
    expect({ code, diagnostics: code === 0 ? '' : server.diagnostics() }).toEqual({
      code: 0,
      diagnostics: '',
    });
    expect(server.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    const submissions = server.logs.filter((line) => {
      const req = line.req as { method?: string; path?: string } | undefined;
      return req?.method === 'POST' && req.path?.startsWith('/api/v1/r/');
    });
    expect(submissions.filter((line) => line.msg === 'request aborted').length).toBeGreaterThan(0);
    const stored = await withDatabase(
      testDatabaseUri(),
      (conn) => countStoredResponses(conn),
      dbName,
    );
    expect(stored).toBe(submissions.length);
  });
});

describe('slow clients', () => {
  it('do not starve others, and are cut off once the header time runs out', async () => {
    const server = await start({ MONGODB_URI: `${testDatabaseUri()}teamlens_slow` });
    // Fifty clients that start a request and never finish its headers (slowloris).
    const slow = Array.from({ length: 50 }, () => {
      const socket = net.connect(server.port, '127.0.0.1');
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      return readToEnd(socket).catch(() => 'reset');
    });

    // Others are served meanwhile, promptly.
    const started = Date.now();
    for (let i = 0; i < 20; i += 1) {
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    }
    expect(Date.now() - started).toBeLessThan(5_000);

    // The slow ones are answered 408 and closed after the 10 s header time (checked each second).
    const ended = await Promise.all(slow);
    for (const answer of ended) expect(answer).toMatch(/^HTTP\/1\.1 408|^$|reset/);
    expect(ended.filter((a) => a.startsWith('HTTP/1.1 408')).length).toBeGreaterThan(0);
    await expectCleanExit(server);
  }, 30_000);
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

  it('starts its FerretDB again when it is killed, and is ready again without a restart', async () => {
    const server = await start({ DATA_DIR: dataDir, EMBEDDED_DB: 'ferretdb' });
    const started = await server.waitForLog(/^embedded database started/);
    await server.waitForLog(/^database connected/);
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);

    process.kill(Number(started.pid), 'SIGKILL');

    const restarted = await server.waitForLog(/^embedded FerretDB restarted/);
    expect(restarted.pid).not.toBe(started.pid);
    // Bounded: the driver finds the server again within its next checks.
    await waitFor(async () => (await fetch(`${server.baseUrl}/readyz`)).status === 200, {
      timeoutMs: 10_000,
      what: 'the server to be ready again',
    });
    await expectCleanExit(server);
  });
});

/** Signs up through the API of a running server and opens a dcf round; returns its link token. */
async function openRoundOn(baseUrl: string): Promise<string> {
  const { token } = await apiSignup(baseUrl);
  return (await apiFor(baseUrl, token).openRound()).link;
}

async function withDatabase<T>(
  uri: string,
  use: (conn: ReturnType<typeof createDatabaseConnection>) => Promise<T>,
  dbName = 'teamlens',
): Promise<T> {
  const conn = createDatabaseConnection();
  await openDatabase(conn, uri, { timeoutMs: 5000, dbName });
  try {
    return await use(conn);
  } finally {
    await closeDatabase(conn);
  }
}

describe('BASE_URL at start-up', () => {
  const unreachable = /^links handed out \(rounds, QR codes, invitation e-mails\) point at /;
  /** A server that needs no database for this: it logs before it connects. */
  const startWith = async (env: Record<string, string>) =>
    start({
      MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/teamlens`,
      DB_TIMEOUT_MS: '500',
      ...env,
    });

  it('unset: warns that links point at this machine only, and says what to set', async () => {
    const server = await startWith({});

    const line = await server.waitForLog(unreachable);

    expect(line.msg).toContain('point at http://localhost:');
    expect(line.msg).toContain('set BASE_URL=https://… (the address the team uses)');
    expect(line.msg).toContain(`or BASE_URL=http://${os.hostname()}:`);
    expect(line).toMatchObject({ level: 40, baseUrlConfigured: false });
    await expectCleanExit(server);
  });

  it('set to an address the team reaches: no warning', async () => {
    const server = await startWith({ BASE_URL: 'https://teamlens.example.org' });
    await server.waitForLog(/^Teamlens listening on/);

    expect(server.logs.filter((l) => unreachable.test(l.msg ?? ''))).toEqual([]);
    await expectCleanExit(server);
  });
});
