import { mongo } from 'mongoose';

/**
 * True when a write failed on a unique index. MongoDB and FerretDB report that on inserts as
 * code 11000; FerretDB 1.24 (SQLite) reports it on updates (findOneAndUpdate, updateOne) as
 * code 1 "InternalError" with SQLite's message, which would otherwise become a 500.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if (!(err instanceof mongo.MongoServerError)) return false;
  return err.code === 11000 || (err.code === 1 && /UNIQUE constraint failed/.test(err.message));
}
