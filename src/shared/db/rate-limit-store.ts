import { createHmac } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { lessThan } from './filters';
import { modelOn } from './models';
import { everyAtMost } from '../throttle';
import type { Logger } from '../logging';
import { randomId } from '../ids';
import { TooManyRequestsError } from '../errors';
import { onceUntilSuccess } from '../once';

type HitDoc = { _id: string; key: string; window: number; expiresAt: Date };

const hitSchema = new Schema<HitDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    window: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'rate_limits', versionKey: false },
);
hitSchema.index({ key: 1, window: 1 });
hitSchema.index({ expiresAt: 1 });

export type RateLimitResult = Readonly<{ count: number; resetAt: Date }>;

/**
 * Fixed-window rate limits in MongoDB, so a limit holds across any number of app instances.
 * Each hit inserts one small document and counts the documents of its key and window. This is
 * exact on every server: a counter updated with `$inc` in an upsert loses increments under
 * concurrent writers on FerretDB's SQLite backend (measured: 20 parallel hits counted 15).
 * Old hits are deleted by a throttled cleanup (FerretDB has no TTL indexes).
 */
export function createRateLimitStore(
  conn: Connection,
  deps: {
    clock: () => Date;
    logger: Logger;
    /**
     * Keys are stored as HMACs under this key (derived for this use: shared/keys.ts): a key
     * such as "login:ip:<address>" would otherwise keep a client address in clear, and a plain
     * hash of an IPv4 address is undone by trying all 2³² of them. Several instances need the
     * same key to share limits.
     */
    secret: string;
  },
) {
  const storedKey = (key: string) =>
    createHmac('sha256', deps.secret).update(key).digest('base64url');
  const model = modelOn(conn, 'RateLimitHit', hitSchema);
  const ensureIndexes = onceUntilSuccess(() => model.createIndexes());
  const cleanup = everyAtMost(
    5 * 60_000,
    deps.clock,
    () => model.deleteMany({ expiresAt: lessThan(deps.clock()) }),
    (err) => deps.logger.warn({ err }, 'rate-limit cleanup failed'),
  );
  /** Counts one hit for `key` in the current window of `windowMs`, this hit included. */
  async function hit(key: string, windowMs: number): Promise<RateLimitResult> {
    await ensureIndexes();
    void cleanup.poke();
    const window = Math.floor(deps.clock().getTime() / windowMs);
    const resetAt = new Date((window + 1) * windowMs);
    const stored = storedKey(key);
    await model.create({ _id: randomId(), key: stored, window, expiresAt: resetAt });
    return { count: await model.countDocuments({ key: stored, window }), resetAt };
  }

  return {
    hit,
    /** Counts one hit and throws 429 (with the seconds until the window ends) past `max`. */
    async enforce(key: string, max: number, windowMs: number, message?: string): Promise<void> {
      const { count, resetAt } = await hit(key, windowMs);
      if (count > max) {
        const seconds = Math.max(1, Math.ceil((resetAt.getTime() - deps.clock().getTime()) / 1000));
        throw new TooManyRequestsError(seconds, message);
      }
    },
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
