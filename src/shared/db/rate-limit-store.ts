import { Schema, type Connection } from 'mongoose';
import { lessThan } from './filters';
import { modelOn } from './models';
import { everyAtMost } from '../throttle';
import type { Logger } from '../logging';

type CounterDoc = { _id: string; count: number; expiresAt: Date };

const counterSchema = new Schema<CounterDoc>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'rate_limits', versionKey: false },
);
counterSchema.index({ expiresAt: 1 });

export type RateLimitResult = Readonly<{ count: number; resetAt: Date }>;

/**
 * Fixed-window counters in MongoDB, so a limit holds across any number of app instances. One
 * atomic upsert with `$inc` per hit; the counter's key includes the window number, so a new
 * window starts at zero without a reset. Old counters are deleted by a throttled cleanup
 * (FerretDB has no TTL indexes).
 */
export function createRateLimitStore(
  conn: Connection,
  deps: { clock: () => Date; logger: Logger },
) {
  const model = modelOn(conn, 'RateLimit', counterSchema);
  const cleanup = everyAtMost(
    5 * 60_000,
    deps.clock,
    () => model.deleteMany({ expiresAt: lessThan(deps.clock()) }),
    (err) => deps.logger.warn({ err }, 'rate-limit cleanup failed'),
  );
  return {
    /** Counts one hit for `key` in the current window of `windowMs`. */
    async hit(key: string, windowMs: number): Promise<RateLimitResult> {
      cleanup.poke();
      const now = deps.clock().getTime();
      const window = Math.floor(now / windowMs);
      const resetAt = new Date((window + 1) * windowMs);
      const doc = await model
        .findOneAndUpdate(
          { _id: `${key}:${window}` },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt: resetAt } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean();
      return { count: doc.count, resetAt };
    },
  };
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
