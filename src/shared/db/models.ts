import type { Connection, Model, Schema } from 'mongoose';

/**
 * The model `name` on `conn`, compiled on first use. Models are bound to a connection passed
 * in, never to the global mongoose, so each test file (and each app) has its own.
 */
export function modelOn<T>(conn: Connection, name: string, schema: Schema<T>): Model<T> {
  return (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}
