import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { ServiceUnavailableError } from '../../shared/errors';
import { randomId } from '../../shared/ids';
import { createKeyedLock } from '../../shared/keyed-lock';
import { mapInBatches } from '../../shared/batches';
import type { ResponseCounting } from './response.counting';
import { TALLIES_COLLECTION, type ResponseTallyDoc } from './response.model';
import { PARALLEL_COUNTS, type ResponseRepository, type Written } from './response.repository';
import { tallyDelta, toCells, toRoundCounts, type Cells, type RoundCounts } from './tally';

/**
 * A write still marked as under way after this long is taken as failed (its process died, or
 * lost the database between storing a response and adding it to the tally), and the round is
 * counted again. Far above the time a write takes; only how soon a tally is repaired depends
 * on it, not whether it is.
 */
export const STALE_WRITE_MS = 60_000;

/**
 * How long a write may wait for the earlier writes of its round (see `lock`) before it gives
 * up with 503: beyond what a busy round's queue or a recount of 10,000 responses without an
 * index takes, short enough that a slow or lost database does not pile up minutes of waiting.
 */
const QUEUE_WAIT_MS = 30_000;
const roundBusy = () =>
  new ServiceUnavailableError(
    'ROUND_BUSY',
    'Many answers are arriving for this round, or the database is slow. Try again in a moment.',
  );

/**
 * Counting by tally, for a server whose queries use no index (so counting a round's responses
 * reads every response stored) and whose concurrent updates of one document are not isolated:
 * each round has a tally (tally.ts) that every write updates by what it changed, so reports
 * read one document per round, however many responses are stored. Writes of a round are
 * serialised in this process, and marked while under way so that a write that stopped
 * half-way is noticed and the round counted again.
 */
export function createTallyCounting(deps: {
  conn: Connection;
  repository: Pick<ResponseRepository, 'countRound'>;
  clock: () => Date;
}): ResponseCounting & { removeAll: () => Promise<void> } {
  const { clock } = deps;
  const tallies = deps.conn.collection<ResponseTallyDoc>(TALLIES_COLLECTION);
  /**
   * Serialises the writes of a round within this process: the server applies concurrent
   * updates of one tally without isolation (two `$inc` lose one), and its embedded kind serves
   * one app process only.
   */
  const lock = createKeyedLock();
  /**
   * Rounds whose tally a write of this process may have left wrong (it failed after storing
   * its response), with a mark that changes on every failure: recounted at the next read.
   */
  const suspect = new Map<string, number>();
  let failures = 0;
  /** Recounts under way, shared by the readers of a round. */
  const recounting = new Map<string, Promise<RoundCounts>>();

  /**
   * Runs `store` (which stores one response of the round and says what it replaced) and adds
   * what changed to the round's tally, in three steps: mark the write as under way, store the
   * response, add the change and remove the mark in one update. The mark is what lets a reader
   * notice a write that stopped half-way; the tally's version is what lets a recount notice a
   * write that came in while it counted.
   */
  function write<T>(roundId: string, store: () => Promise<Written<T>>): Promise<T> {
    const wait = { ms: QUEUE_WAIT_MS, error: roundBusy };
    return lock.run(
      roundId,
      async () => {
        const id = randomId();
        const mark = `pending.${id}`;
        await tallies.updateOne(
          { _id: roundId },
          {
            $set: { [mark]: clock() },
            $inc: { version: 1 },
            $setOnInsert: { n: 0, cells: {}, counted: false, recount: false },
          },
          { upsert: true },
        );
        let written: Written<T>;
        try {
          written = await store();
        } catch (err) {
          // The response may or may not be stored: the mark stays, and this round is counted
          // again at its next read.
          await suspectRound(roundId);
          throw err;
        }
        try {
          const delta = written.change
            ? tallyDelta(written.change.before, written.change.after)
            : { n: 0, cells: {} };
          const added = await tallies.updateOne(
            { _id: roundId, counted: true, [mark]: { $exists: true } },
            {
              $inc: { n: delta.n, version: 1, ...prefixed('cells.', delta.cells) },
              $unset: { [mark]: 1 },
            },
          );
          if (added.matchedCount === 0) {
            // Never counted yet, or a recount moved this write's mark aside while it ran (it may
            // or may not have seen this response): count again rather than guess.
            await tallies.updateOne(
              { _id: roundId },
              {
                $set: { recount: true },
                $inc: { version: 1 },
                $unset: { [mark]: 1, [`superseded.${id}`]: 1 },
              },
            );
          }
        } catch {
          // The response is stored and the respondent is answered; the tally is repaired by the
          // next read, which counts this round again (and, in other processes, once the mark is
          // older than STALE_WRITE_MS).
          await suspectRound(roundId);
        }
        return written.result;
      },
      wait,
    );
  }

  /**
   * Remembers that a write of this round stopped half-way, here and (if the database answers)
   * in the tally, for other processes and after a restart.
   */
  async function suspectRound(roundId: string): Promise<void> {
    suspect.set(roundId, (failures += 1));
    await tallies
      .updateOne({ _id: roundId }, { $set: { recount: true }, $inc: { version: 1 } })
      .catch(() => undefined);
  }

  const isYoung = (began: Date) => clock().getTime() - new Date(began).getTime() < STALE_WRITE_MS;
  const marksOf = (tally: Pick<ResponseTallyDoc, 'pending' | 'superseded'>) => ({
    ...tally.pending,
    ...tally.superseded,
  });

  /** A tally's counts; null when a cell cannot be read (edited by hand?): it is counted again. */
  function readTally(tally: ResponseTallyDoc): RoundCounts | null {
    try {
      return toRoundCounts(tally.n, tally.cells);
    } catch {
      return null;
    }
  }

  const isCurrent = (tally: ResponseTallyDoc) =>
    tally.counted &&
    !tally.recount &&
    !suspect.has(tally._id) &&
    Object.values(marksOf(tally)).every(isYoung);

  /**
   * Counts a round from its responses and stores the result as its tally, unless a write came
   * in meanwhile (the version moved on): then the next reader counts again. Either way this
   * reader gets counts that were true when they were made. In this process the round's writes
   * wait for the count, so a round that is answered all the time still gets its tally stored.
   * Marks of writes under way are kept, moved aside (see ResponseTallyDoc.superseded): a write
   * that ends after the count asks for another, and one that never ends ages out.
   */
  function recount(roundId: string): Promise<RoundCounts> {
    const running = recounting.get(roundId);
    if (running) return running;
    const started = lock
      .run(roundId, async () => {
        const mark = suspect.get(roundId);
        const before = await tallies.findOne(
          { _id: roundId },
          { projection: { version: 1, pending: 1, superseded: 1 } },
        );
        const counts = await deps.repository.countRound(roundId);
        const superseded = Object.fromEntries(
          Object.entries(before ? marksOf(before) : {}).filter(([, began]) => isYoung(began)),
        );
        const state = {
          n: counts.n,
          cells: toCells(counts),
          pending: {},
          superseded,
          counted: true,
          recount: false,
        };
        let stored: boolean;
        if (before) {
          const result = await tallies.updateOne(
            { _id: roundId, version: before.version },
            { $set: state, $inc: { version: 1 } },
          );
          stored = result.matchedCount === 1;
        } else {
          stored = await tallies.insertOne({ _id: roundId, ...state, version: 1 }).then(
            () => true,
            (err: unknown) => {
              if (isDuplicateKeyError(err)) return false;
              throw err;
            },
          );
        }
        if (stored && suspect.get(roundId) === mark) suspect.delete(roundId);
        return counts;
      })
      .finally(() => recounting.delete(roundId));
    recounting.set(roundId, started);
    return started;
  }

  /**
   * Everything reports count in each of `roundIds`: read from the rounds' tallies, so the cost
   * grows with rounds × items × scale points, not with responses. A round without a current
   * tally (never counted, or a write that stopped half-way) is counted by the database and its
   * tally rebuilt from that.
   */
  async function counts(roundIds: readonly string[]): Promise<Map<string, RoundCounts>> {
    const result = new Map<string, RoundCounts>();
    if (roundIds.length === 0) return result;
    const docs = await tallies.find({ _id: { $in: [...roundIds] } }).toArray();
    const current = new Map(docs.filter(isCurrent).map((d) => [d._id, d]));
    const missing: string[] = [];
    for (const id of roundIds) {
      const tally = current.get(id);
      const read = tally ? readTally(tally) : null;
      if (read) result.set(id, read);
      else missing.push(id);
    }
    const recounted = await mapInBatches(missing, PARALLEL_COUNTS, recount);
    missing.forEach((id, i) => result.set(id, recounted[i]!));
    return result;
  }

  return {
    write,
    counts,

    /** Drops every tally (see createResponseCounting: tallies nobody keeps must not stay). */
    async removeAll(): Promise<void> {
      const db = deps.conn.db!;
      const found = await db.listCollections({ name: TALLIES_COLLECTION }).toArray();
      if (found.length > 0) await db.dropCollection(TALLIES_COLLECTION);
    },

    async sizes(roundIds: readonly string[]): Promise<Map<string, number>> {
      const counted = await counts(roundIds);
      return new Map([...counted].map(([id, c]) => [id, c.n]));
    },

    /**
     * A new round's tally, counted at zero: a round found without one is counted from the
     * responses at its first read, which reads every response stored. (A tally of a round whose
     * insert then failed belongs to no round and is never read.)
     */
    async roundCreated(roundId: string): Promise<void> {
      await tallies
        .insertOne({
          _id: roundId,
          n: 0,
          cells: {},
          pending: {},
          superseded: {},
          version: 1,
          counted: true,
          recount: false,
        })
        .catch((err: unknown) => {
          if (!isDuplicateKeyError(err)) throw err;
        });
    },
  };
}

/** `cells` as update paths under `prefix`. */
function prefixed(prefix: string, cells: Cells): Cells {
  return Object.fromEntries(Object.entries(cells).map(([key, n]) => [prefix + key, n]));
}
