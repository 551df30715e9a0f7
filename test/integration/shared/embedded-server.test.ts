import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {
  closeDatabase,
  createDatabaseConnection,
  openDatabase,
} from '../../../src/shared/db/connect';
import { startEmbeddedDatabase } from '../../../src/shared/db/embedded-server';
import { ensureFerretDbLauncher } from '../../../src/shared/db/ferretdb-launcher';
import { createLogger } from '../../../src/shared/logging';
import { memoryLog } from '../../support/log';
import { waitFor } from '../../support/ports';

const logger = createLogger({ level: 'silent' });
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-embedded-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('startEmbeddedDatabase', () => {
  it('with "auto", starts a server that Mongoose can write to and read from', async () => {
    // mongod where one can be had, FerretDB otherwise: whichever this machine offers.
    const server = await startEmbeddedDatabase({ dataDir, kind: 'auto', logger });
    const conn = createDatabaseConnection();
    try {
      await openDatabase(conn, server.uri, { timeoutMs: 5000, dbName: 'embedded' });
      await conn.collection('things').insertOne({ name: 'a' });

      expect(await conn.collection('things').countDocuments({ name: 'a' })).toBe(1);
      expect(server.dataDir.startsWith(dataDir)).toBe(true);
      expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    } finally {
      await closeDatabase(conn);
      await server.stop();
    }
  });
});

describe('the FerretDB launcher', () => {
  it('stops by itself, with exit code 0, when the parent closes its standard input', async () => {
    const binary = await ensureFerretDbLauncher(logger);
    const child = spawn(binary, ['-data', dataDir, '-watch-stdin'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const ready = await new Promise<string>((resolve) =>
      readline.createInterface({ input: child.stdout }).once('line', resolve),
    );
    expect(ready).toMatch(/^READY mongodb:\/\/127\.0\.0\.1:\d+\/$/);

    child.stdin.end();

    expect(await exited).toEqual([0, null]);
  });
});

describe('a supervised FerretDB', () => {
  it('is started again on the same data and port after it is killed, and serves what it had', async () => {
    const log = memoryLog();
    const server = await startEmbeddedDatabase({ dataDir, kind: 'ferretdb', logger: log.logger });
    const conn = createDatabaseConnection();
    try {
      await openDatabase(conn, server.uri, { timeoutMs: 2000, dbName: 'supervised' });
      await conn.collection('things').insertOne({ name: 'kept' });
      const killed = server.pid()!;

      process.kill(killed, 'SIGKILL');

      // The supervisor says when it has started the server again; the driver then reconnects
      // on its own, within its next checks (bounded).
      await log.waitFor(/^embedded FerretDB restarted/);
      let found: unknown = null;
      await waitFor(
        async () => {
          found = await conn
            .collection('things')
            .findOne({ name: 'kept' })
            .catch(() => null);
          return found !== null;
        },
        { timeoutMs: 15_000, what: 'the restarted FerretDB to serve what it had' },
      );
      expect(found).toMatchObject({ name: 'kept' });
      expect(server.pid()).not.toBe(killed);
      // The same port: a new connection to the URI given at start reaches the new process.
      const fresh = createDatabaseConnection();
      await openDatabase(fresh, server.uri, { timeoutMs: 2000, dbName: 'supervised' });
      expect(await fresh.collection('things').countDocuments({ name: 'kept' })).toBe(1);
      await closeDatabase(fresh);
    } finally {
      await closeDatabase(conn);
      await server.stop();
    }
  });
});
