/**
 * The open rounds behind respondent links, kept for a few seconds: a team answering at once asks
 * for the same round and team name dozens of times a minute. Exact within one process (a change
 * to a round made here forgets it at once: closed, reopened, its link replaced); across
 * instances an entry is at most `ttlMs` old, so another instance may accept answers to a round
 * closed elsewhere for that long. A round's closing date is checked at every use, not cached.
 */
export function createOpenRoundCache<T extends { round: { id: string } }>(options: {
  ttlMs: number;
  clock: () => Date;
  /** Entries kept at most; the oldest goes first (a flood of links cannot grow it). */
  maxEntries?: number;
}) {
  const max = options.maxEntries ?? 1000;
  const entries = new Map<string, { value: T; expiresAt: number }>();
  /** Raised by every forget, so a lookup that began before one does not store a stale round. */
  let generation = 0;
  return {
    /** Take before reading a round; pass to `set` with what was read. */
    generation: () => generation,
    get(token: string): T | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.clock().getTime()) {
        entries.delete(token);
        return undefined;
      }
      return entry.value;
    },
    /** Stores `value` unless a round was forgotten since `readAt` (it may be that round). */
    set(token: string, value: T, readAt: number): void {
      if (readAt !== generation) return;
      entries.delete(token);
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(token, { value, expiresAt: options.clock().getTime() + options.ttlMs });
    },
    /** Forgets every link of a round (its old link too, after a rotation). */
    forgetRound(roundId: string): void {
      generation += 1;
      for (const [token, entry] of entries)
        if (entry.value.round.id === roundId) entries.delete(token);
    },
  };
}
