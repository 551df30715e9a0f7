import { TooManyRequestsError } from './errors';

/**
 * Fixed-window rate limits kept in this process: no database round trip, nothing stored. For
 * flood guards on hot paths (a submission), where a limit per instance is enough: with N
 * instances a client gets at most N times the limit. Limits that must hold across instances
 * (log-in attempts) use the database's store (shared/db/rate-limit-store.ts). At most
 * `maxKeys` keys are kept; the oldest goes first, so a flood of keys cannot grow it.
 */
export function createMemoryRateLimiter(options: { clock: () => Date; maxKeys?: number }) {
  const maxKeys = options.maxKeys ?? 50_000;
  const counts = new Map<string, { window: number; count: number }>();
  return {
    /** Counts one hit and throws 429 (with the seconds until the window ends) past `max`. */
    enforce(key: string, max: number, windowMs: number, message?: string): void {
      const now = options.clock().getTime();
      const window = Math.floor(now / windowMs);
      const entry = counts.get(key);
      const count = entry?.window === window ? entry.count + 1 : 1;
      counts.delete(key);
      if (counts.size >= maxKeys) counts.delete(counts.keys().next().value as string);
      counts.set(key, { window, count });
      if (count > max) {
        const seconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
        throw new TooManyRequestsError(seconds, message);
      }
    },
  };
}

export type MemoryRateLimiter = ReturnType<typeof createMemoryRateLimiter>;
