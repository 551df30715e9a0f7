import { randomBytes } from 'node:crypto';
import {
  closeDatabase,
  createDatabaseConnection,
  openDatabase,
  type Connection,
} from '../../src/shared/db/connect';

/** The URI of the server the global setup started (or MONGODB_URI). */
export function testDatabaseUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run integration tests through jest');
  return uri;
}

export type TestDatabase = Readonly<{
  conn: Connection;
  dbName: string;
  drop: () => Promise<void>;
}>;

/**
 * A database of its own for one test file (`t_<worker>_<random>`), so files never see each
 * other's data and no test needs a global cleanup. `drop` removes it and closes the connection.
 */
export async function openTestDatabase(
  options: { monitorCommands?: boolean } = {},
): Promise<TestDatabase> {
  const dbName = `t_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const conn = createDatabaseConnection();
  await openDatabase(conn, testDatabaseUri(), { timeoutMs: 5000, dbName, ...options });
  return {
    conn,
    dbName,
    drop: async () => {
      await conn.dropDatabase();
      await closeDatabase(conn);
    },
  };
}

/** The embedded server kind this run uses, for tests that start and stop servers of their own. */
export function testEmbeddedKind(): 'auto' | 'mongod' | 'ferretdb' {
  const kind = process.env.TEST_EMBEDDED_DB;
  return kind === 'mongod' || kind === 'ferretdb' ? kind : 'auto';
}
