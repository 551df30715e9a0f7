import { createHash } from 'node:crypto';
import session from 'express-session';
import { Schema, type Connection, type Model } from 'mongoose';
import { lessThan } from './filters';
import { modelOn } from './models';
import { everyAtMost } from '../throttle';
import { onceUntilSuccess } from '../once';
import type { Logger } from '../logging';

type SessionDoc = { _id: string; data: string; expiresAt: Date };

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    data: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ expiresAt: 1 });

/** Session ids are stored only as hashes: a copy of the database cannot be used to log in. */
const keyOf = (sid: string) => createHash('sha256').update(sid).digest('base64url');

/**
 * An express-session store on our own Mongoose connection. We do not use connect-mongo: it needs
 * a MongoClient when the app is built, but ours exists only once the database answers, and its
 * operations would wait forever meanwhile. Here every operation fails at once while the database
 * is down (the request gets 503) and works again when it returns.
 *
 * Expiry is checked on every read (FerretDB has no TTL indexes), and expired sessions are deleted
 * by a cleanup that runs at most every `cleanupEveryMs` on ordinary writes.
 *
 * A class because express-session requires stores to extend its Store class.
 */
export class MongooseSessionStore extends session.Store {
  private readonly model: Model<SessionDoc>;
  private readonly cleanup: { poke: () => Promise<void> };

  constructor(
    conn: Connection,
    private readonly options: {
      ttlMs: number;
      clock: () => Date;
      logger: Logger;
      cleanupEveryMs?: number;
    },
  ) {
    super();
    this.model = modelOn(conn, 'Session', sessionSchema);
    // The expiry index serves the cleanup, so the cleanup creates it (once it succeeds).
    const ensureIndexes = onceUntilSuccess(() => this.model.createIndexes());
    this.cleanup = everyAtMost(
      options.cleanupEveryMs ?? 10 * 60_000,
      options.clock,
      async () => {
        // A failed index build is logged and retried next time; the cleanup runs anyway.
        await ensureIndexes().catch((err: unknown) =>
          options.logger.warn({ err }, 'session expiry index not created'),
        );
        await this.model.deleteMany({ expiresAt: lessThan(options.clock()) });
      },
      (err) => options.logger.warn({ err }, 'session cleanup failed'),
    );
  }

  private expiryOf(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires
      ? new Date(expires)
      : new Date(this.options.clock().getTime() + this.options.ttlMs);
  }

  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    this.model
      .findById(keyOf(sid))
      .lean<SessionDoc>()
      .then((doc) => {
        if (!doc || doc.expiresAt <= this.options.clock()) return callback(null, null);
        callback(null, JSON.parse(doc.data) as session.SessionData);
      }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    void this.cleanup.poke();
    this.model
      .updateOne(
        { _id: keyOf(sid) },
        { $set: { data: JSON.stringify(data), expiresAt: this.expiryOf(data) } },
        { upsert: true },
      )
      .then(
        () => callback?.(),
        (err: unknown) => callback?.(err),
      );
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.model.updateOne({ _id: keyOf(sid) }, { $set: { expiresAt: this.expiryOf(data) } }).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.model.deleteOne({ _id: keyOf(sid) }).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }
}
