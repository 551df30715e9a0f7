import mongoose, { type Connection } from 'mongoose';
import { onceUntilSuccess } from '../once';

/**
 * What the database server can do, learned once from its `buildInfo`. Teamlens runs on MongoDB
 * and, embedded, on FerretDB 1.x (SQLite), whose limits were measured (README, "FerretDB
 * compatibility"): it applies concurrent updates of one document without isolation (two `$inc`
 * lose one) and uses no index for any filter, so every query reads the whole collection. Code
 * that must work around that asks for a capability here; nothing else names the server.
 */
export type DatabaseCapabilities = Readonly<{
  server: 'mongodb' | 'ferretdb';
  /** Concurrent updates of one document are applied one after the other (`$inc` loses none). */
  isolatedUpdates: boolean;
  /** Filters use indexes: a query costs what it finds, not what the collection holds. */
  indexedQueries: boolean;
}>;

export const MONGODB_CAPABILITIES: DatabaseCapabilities = {
  server: 'mongodb',
  isolatedUpdates: true,
  indexedQueries: true,
};

export const FERRETDB_CAPABILITIES: DatabaseCapabilities = {
  server: 'ferretdb',
  isolatedUpdates: false,
  indexedQueries: false,
};

/** From a `buildInfo` answer: FerretDB adds `ferretdbVersion` to the MongoDB fields it mimics. */
export function capabilitiesOf(buildInfo: Readonly<Record<string, unknown>>): DatabaseCapabilities {
  return 'ferretdbVersion' in buildInfo ? FERRETDB_CAPABILITIES : MONGODB_CAPABILITIES;
}

export type CapabilityProbe = () => Promise<DatabaseCapabilities>;

/**
 * Asks the server once, at the first use (the app starts, and serves pages that need no
 * database, before the database answers); a failed ask is asked again next time.
 */
export function createCapabilityProbe(conn: Connection): CapabilityProbe {
  return onceUntilSuccess(async () => {
    // Not connected yet: the same error as any query then, which the HTTP layer answers with 503.
    if (!conn.db) throw new mongoose.mongo.MongoNotConnectedError('The database is not connected');
    return capabilitiesOf(await conn.db.admin().command({ buildInfo: 1 }));
  });
}
