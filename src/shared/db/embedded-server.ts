import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { MongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';
import type { Logger } from '../logging';
import { EmbeddedDatabaseError, ensureFerretDbLauncher, startFerretDb } from './ferretdb-launcher';

export { EmbeddedDatabaseError } from './ferretdb-launcher';

export type EmbeddedDatabaseKind = 'auto' | 'mongod' | 'ferretdb';

export type EmbeddedDatabase = Readonly<{
  kind: 'mongod' | 'ferretdb';
  /** For the log: which server, and how it stores data. */
  description: string;
  uri: string;
  /** Where this server keeps its files. */
  dataDir: string;
  /** The server process's id now (it changes when a supervised server is restarted). */
  pid: () => number | null;
  stop: () => Promise<void>;
}>;

/**
 * A supervised FerretDB that dies (killed, crashed) is started again on the same data folder and
 * port, so the connection's URI stays right and the driver reconnects by itself: after 0.2, 0.5,
 * 1, 2, 4 and 8 s. A server that stayed up a minute starts the count again; after six failed
 * restarts in a row, `onGiveUp` is called (server.ts exits, for the service manager to act).
 */
const RESTART_DELAYS_MS = [200, 500, 1000, 2000, 4000, 8000] as const;
const STABLE_AFTER_MS = 60_000;

/**
 * Starts a MongoDB-compatible server on loopback for `npm start` and the tests when no
 * MONGODB_URI is given (DESIGN.md, Storage). With `auto`: a real mongod (on PATH, already
 * downloaded, or downloaded now by mongodb-memory-server), otherwise FerretDB through our Go
 * launcher, otherwise an error that says how to set MONGODB_URI. Each engine gets its own
 * folder under `dataDir`: their file formats are not interchangeable.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  kind: EmbeddedDatabaseKind;
  logger: Logger;
  /** A fixed port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** Called when a supervised server could not be restarted (see RESTART_DELAYS_MS). */
  onGiveUp?: () => void;
}): Promise<EmbeddedDatabase> {
  const failures: string[] = [];
  if (options.kind !== 'ferretdb') {
    try {
      return await startMongod(path.join(options.dataDir, 'mongod'), options.logger, options.port);
    } catch (err) {
      failures.push(`mongod: ${errorMessage(err)}`);
      if (options.kind === 'mongod') throw unavailable(failures);
      options.logger.info({ reason: errorMessage(err) }, 'no mongod available, trying FerretDB');
    }
  }
  try {
    const binary = await ensureFerretDbLauncher(options.logger);
    const dataDir = path.join(options.dataDir, 'ferretdb');
    const ferret = await superviseFerretDb({
      binary,
      dataDir,
      port: options.port,
      logger: options.logger,
      onGiveUp: options.onGiveUp ?? (() => undefined),
    });
    return {
      kind: 'ferretdb',
      description: 'FerretDB 1.24 (SQLite backend)',
      dataDir,
      ...ferret,
    };
  } catch (err) {
    failures.push(`FerretDB: ${errorMessage(err)}`);
    throw unavailable(failures);
  }
}

/** Starts FerretDB and starts it again whenever it dies, until stopped (see RESTART_DELAYS_MS). */
async function superviseFerretDb(options: {
  binary: string;
  dataDir: string;
  port: number | undefined;
  logger: Logger;
  onGiveUp: () => void;
}) {
  const { binary, dataDir, logger } = options;
  let current = await startFerretDb({ binary, dataDir, port: options.port });
  // Restarts keep the port, so the URI the application connected with stays right.
  const port = Number(new URL(current.uri).port);
  let stopping = false;
  let failures = 0;
  /** The restart under way, and a way to cut its back-off short when stop() comes. */
  let restarting: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const restart = async () => {
    while (!stopping) {
      const delay = RESTART_DELAYS_MS[failures];
      if (delay === undefined) {
        logger.fatal(
          { dataDir, attempts: failures },
          'embedded FerretDB could not be restarted; giving up',
        );
        options.onGiveUp();
        return;
      }
      failures += 1;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay).unref();
      });
      wake = null;
      if (stopping) return;
      try {
        current = await startFerretDb({ binary, dataDir, port });
        // stop() came while it was starting: it waits for this, then stops `current`.
        if (stopping) return;
        logger.warn({ pid: current.pid, attempt: failures }, 'embedded FerretDB restarted');
        watch(current);
        return;
      } catch (err) {
        logger.error({ err, attempt: failures }, 'embedded FerretDB restart failed');
      }
    }
  };

  const watch = (proc: typeof current) => {
    const startedAt = Date.now();
    void proc.exited.then((code) => {
      if (stopping) return;
      if (Date.now() - startedAt >= STABLE_AFTER_MS) failures = 0;
      logger.error(
        { pid: proc.pid, code },
        'embedded FerretDB stopped unexpectedly; restarting it',
      );
      restarting = restart().finally(() => (restarting = null));
    });
  };
  watch(current);

  return {
    uri: current.uri,
    pid: () => current.pid,
    /** Stops the server, and a restart under way first: nothing outlives this. */
    stop: async () => {
      stopping = true;
      wake?.();
      await restarting;
      await current.stop();
    },
  };
}

async function startMongod(
  dataDir: string,
  logger: Logger,
  port: number | undefined,
): Promise<EmbeddedDatabase> {
  // A mongod on PATH wins; otherwise mongodb-memory-server finds or downloads one. Resolving the
  // binary first keeps a failed download a plain error instead of a warning printed by the library.
  const onPath = await findOnPath('mongod');
  const binaryPath = onPath ?? (await MongoBinary.getPath());
  await fs.mkdir(dataDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: binaryPath },
    instance: { dbPath: dataDir, storageEngine: 'wiredTiger', ip: '127.0.0.1', port },
  });
  logger.debug({ binaryPath }, 'mongod binary');
  return {
    kind: 'mongod',
    description: `MongoDB mongod (${binaryPath})`,
    uri: server.getUri(),
    dataDir,
    pid: () => server.instanceInfo?.instance.mongodProcess?.pid ?? null,
    stop: async () => {
      // doCleanup false: the data folder is the user's data and must survive a restart.
      await server.stop({ doCleanup: false });
    },
  };
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function unavailable(failures: readonly string[]): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(
    [
      'No MongoDB-compatible server could be started.',
      ...failures.map((f) => `  - ${f}`),
      'Set MONGODB_URI to a MongoDB server (for example mongodb://127.0.0.1:27017/teamlens or an Atlas',
      'connection string), or install mongod or Go (1.24 or newer) so an embedded server can start.',
    ].join(os.EOL),
  );
}

function errorMessage(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';
}
