import type { CapabilityProbe } from '../../shared/db/capabilities';
import { onceUntilSuccess } from '../../shared/once';
import type { Connection } from '../../shared/db/connect';
import type { ResponseRepository, Written } from './response.repository';
import type { RoundCounts } from './tally';
import { createTallyCounting } from './tally.repository';

/**
 * The one port through which responses are counted: every write of a response runs through it,
 * and reports, round lists and dashboards read counts from it. Two ways behind it, chosen by
 * what the database server can do (shared/db/capabilities.ts):
 * - by query, the plain way: each count is an aggregation over the round's responses, found by
 *   the (round, key) index, and a write is just the write;
 * - by tally (tally.repository.ts), for a server whose queries use no index, where that
 *   aggregation would read every response of every round.
 */
export type ResponseCounting = Readonly<{
  /** Runs `store`, one write of a response of the round; the counts follow what it changed. */
  write: <T>(roundId: string, store: () => Promise<Written<T>>) => Promise<T>;
  /** Everything reports count, per round. */
  counts: (roundIds: readonly string[]) => Promise<Map<string, RoundCounts>>;
  /** Responses per round. */
  sizes: (roundIds: readonly string[]) => Promise<Map<string, number>>;
  /** A round was created: it has no responses yet. */
  roundCreated: (roundId: string) => Promise<void>;
}>;

/** Counting by query: what a write stored is what the next count finds. */
export function createQueryCounting(
  repository: Pick<ResponseRepository, 'countRounds' | 'countByRound'>,
): ResponseCounting {
  return {
    write: async (_roundId, store) => (await store()).result,
    counts: (roundIds) => repository.countRounds(roundIds),
    sizes: (roundIds) => repository.countByRound(roundIds),
    roundCreated: () => Promise.resolve(),
  };
}

/**
 * The counting that suits the server, chosen at the first use. Counting by query also removes
 * the tallies that counting by tally may have left, once: a database later served by a server
 * without indexes (a restored dump) then counts its rounds afresh instead of trusting tallies
 * that stopped following the writes.
 */
export function createResponseCounting(deps: {
  conn: Connection;
  repository: ResponseRepository;
  clock: () => Date;
  capabilities: CapabilityProbe;
}): ResponseCounting {
  const byTally = createTallyCounting(deps);
  const byQuery = createQueryCounting(deps.repository);
  const counting = onceUntilSuccess(async (): Promise<ResponseCounting> => {
    if (!(await deps.capabilities()).indexedQueries) return byTally;
    // Best effort: a database user without the right to drop collections still counts.
    await byTally.removeAll().catch(() => undefined);
    return byQuery;
  });
  return {
    write: async (roundId, store) => (await counting()).write(roundId, store),
    counts: async (roundIds) =>
      roundIds.length === 0 ? new Map() : (await counting()).counts(roundIds),
    sizes: async (roundIds) =>
      roundIds.length === 0 ? new Map() : (await counting()).sizes(roundIds),
    roundCreated: async (roundId) => (await counting()).roundCreated(roundId),
  };
}
