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
