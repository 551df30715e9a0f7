import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from '../logging';

export type { Connection } from 'mongoose';

export type DatabaseOptions = Readonly<{
  /** How long an operation waits for a reachable server before it fails (and the request gets 503). */
  timeoutMs: number;
  dbName?: string;
  /** Emit the driver's command events (counting round trips: tests, benchmarks). */
  monitorCommands?: boolean;
}>;

/**
 * Query-safety settings that hold for every connection: a filter object coming from a request
 * can never smuggle in an operator (`{"$ne": …}`), and unknown query paths are an error rather
 * than silently ignored. They are Mongoose-global settings; setting them again is harmless.
 */
function applyGlobalSafety(): void {
  mongoose.set('sanitizeFilter', true);
  mongoose.set('strictQuery', true);
  // Fail at once instead of queueing operations while disconnected: a request must get a
  // clear 503 quickly, not hang until the database returns. Set globally because models are
  // bound to a connection before it opens, and they read this option then.
  mongoose.set('bufferCommands', false);
}

function connectOptions(options: DatabaseOptions): mongoose.ConnectOptions {
  return {
    dbName: options.dbName,
    bufferCommands: false,
    serverSelectionTimeoutMS: options.timeoutMs,
    connectTimeoutMS: options.timeoutMs,
    // Indexes are created explicitly (ensureIndexes), so a slow build never blocks start-up
    // silently and errors are reported where they happen.
    autoIndex: false,
    autoCreate: false,
    monitorCommands: options.monitorCommands ?? false,
  };
}

/** A connection that is not open yet; models can be bound to it before it connects. */
export function createDatabaseConnection(): Connection {
  applyGlobalSafety();
  return mongoose.createConnection();
}

/** Opens `conn` once; rejects if the server cannot be reached within the timeout. */
export async function openDatabase(
  conn: Connection,
  uri: string,
  options: DatabaseOptions,
): Promise<Connection> {
  applyGlobalSafety();
  await conn.openUri(uri, connectOptions(options));
  return conn;
}

/**
 * Keeps trying to open `conn` until it succeeds or `stop()` is called. The driver reconnects
 * by itself once a first connection was made; only the first one needs this loop, so that a
 * server started before its database still becomes ready without a restart.
 */
export function connectWithRetry(
  conn: Connection,
  uri: string,
  options: DatabaseOptions & { logger: Logger; onConnected?: () => void },
): { stop: () => void; connected: Promise<boolean> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const connected = (async () => {
    for (let attempt = 1, delayMs = 500; !stopped; attempt += 1) {
      try {
        await openDatabase(conn, uri, options);
        options.logger.info({ attempt }, 'database connected');
        options.onConnected?.();
        return true;
      } catch (err) {
        options.logger.warn(
          { attempt, retryInMs: delayMs, error: describeDatabaseError(err) },
          'database not reachable, retrying',
        );
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      delayMs = Math.min(delayMs * 2, 10000);
    }
    return false;
  })();
  return {
    stop: () => {
      stopped = true;
      wake?.();
    },
    connected,
  };
}

/** Whether the connection has a usable server right now (Mongoose readyState 1). */
export function isDatabaseConnected(conn: Connection): boolean {
  return conn.readyState === mongoose.ConnectionStates.connected;
}

/** Answers true when the server answers a ping within the connection's timeout. */
export async function pingDatabase(conn: Connection): Promise<boolean> {
  if (!isDatabaseConnected(conn) || !conn.db) return false;
  try {
    await conn.db.admin().ping();
    return true;
  } catch {
    return false;
  }
}

const UNAVAILABLE_ERROR_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * True for errors that mean "the database cannot be reached" rather than "this request is
 * wrong": the HTTP layer answers them with 503 and Retry-After.
 */
export function isDatabaseUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (UNAVAILABLE_ERROR_NAMES.has(err.name)) return true;
  // CASE: with bufferCommands off, Mongoose refuses operations before the first connection
  // with a plain MongooseError rather than a driver error.
  return err instanceof mongoose.Error && /bufferCommands = false/.test(err.message);
}

/** A short, safe description for logs (no connection strings with credentials). */
export function describeDatabaseError(err: unknown): { name: string; message: string } {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  return { name: err.name, message: err.message.replace(/\/\/[^@/]*@/g, '//[credentials]@') };
}

export async function closeDatabase(conn: Connection): Promise<void> {
  await conn.close();
}
