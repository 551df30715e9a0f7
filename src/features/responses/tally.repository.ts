import type { Connection } from 'mongoose';
import { createKeyedLock } from '../../shared/keyed-lock';
import type { ResponseDoc } from './response.model';
import { textsIn } from './texts';
import type { ResponseText, RoundCounts } from './response.types';
import {
  addCells,
  tallyDelta,
  toCells,
  toRoundCounts,
  type Cells,
  type Counted,
  type TallyDelta,
} from './tally';

/** Where the per-round layout keeps each round's counts, one document per round. */
export const COUNTS_COLLECTION = 'response_counts';

/** How long a round's count changes wait in the process, to be written together. */
export const FLUSH_DELAY_MS = 1_000;

/** Rounds whose counts stay in memory when idle; beyond that the least recently used go. */
const KEPT_ROUNDS = 2_000;

/**
 * A round's counts as stored: `dirty` is set before a response is written and cleared by the
 * write of the counts that follows it, so a process that stops between the two leaves it set,
 * and the round is counted again from its responses at the next start.
 */
type CountsDoc = { _id: string; n: number; cells: Cells; dirty: boolean };

/** What a write of a response changed, for its round's counts and texts (null: nothing). */
export type Change = Readonly<{
  /** The response's id. */
  id: string;
  before: Counted | null;
  after: Counted & Pick<ResponseDoc, 'respondentName'>;
}> | null;

type Tally = {
  /** The counts as they are now, written or not. */
  n: number;
  cells: Cells;
  /** Changes not written yet. */
  pending: TallyDelta;
  /** Writes of responses under way: stored, or being stored, and not added yet. */
  writing: number;
  /** The document marked dirty for the writes since the last clean write of the counts. */
  marked: Promise<unknown> | null;
  timer: NodeJS.Timeout | null;
  /** A write failed, stored or not: counted from the responses until the round is idle. */
  broken: boolean;
  /**
   * The round's free texts by response, once a report asked for them (reading them costs
   * about a millisecond per response on such a server); each write sets its response's.
   */
  texts: Map<string, ResponseText[]> | null;
  /** Texts being read while writes go on: those writes' texts are set again once read. */
  textsLoading: Promise<Map<string, ResponseText[]>> | null;
  textsWritten: Map<string, ResponseText[]>;
};

/**
 * The counts of each round, for a server whose queries read every document they might match
 * (FerretDB 1.x: counting a round of 1,000 responses there takes over a second, of 10,000 over
 * ten). Counts live in this process, which is the only one writing (the embedded server serves
 * one app process): a write adds its change in memory at once, and the changes of a round are
 * written together a second later, so a submission costs one write of its response and reports
 * read no document at all. The stored counts say whether they can be trusted (`dirty`).
 */
export function createTallies(deps: {
  conn: Connection;
  /** Counts a round from its responses (slow on such a server; only when the counts are lost). */
  recount: (roundId: string) => Promise<RoundCounts>;
  /** Reads a round's free texts by response from its responses (slow too; once per round). */
  readTexts: (roundId: string) => Promise<Map<string, ResponseText[]>>;
  delayMs?: number;
}) {
  const docs = deps.conn.collection<CountsDoc>(COUNTS_COLLECTION);
  const delayMs = deps.delayMs ?? FLUSH_DELAY_MS;
  /** Updates of a round's document, one at a time, in the order they were asked for. */
  const lock = createKeyedLock();
  /** The rounds' tallies, least recently used first; `tally` once loaded. */
  const tallies = new Map<string, { loading: Promise<Tally>; tally: Tally | null }>();
  const idle = (t: Tally) => t.writing === 0 && t.timer === null;

  async function load(roundId: string): Promise<Tally> {
    const doc = await docs.findOne({ _id: roundId });
    let counts: { n: number; cells: Cells };
    if (doc && !doc.dirty) {
      counts = { n: doc.n, cells: doc.cells };
    } else {
      const counted = await deps.recount(roundId);
      counts = { n: counted.n, cells: toCells(counted) };
      await docs.replaceOne({ _id: roundId }, { ...counts, dirty: false }, { upsert: true });
    }
    return {
      ...counts,
      pending: { n: 0, cells: {} },
      writing: 0,
      marked: null,
      timer: null,
      broken: false,
      texts: null,
      textsLoading: null,
      textsWritten: new Map(),
    };
  }

  /**
   * The round's tally, loaded once and kept while it is used. Loading waits for the updates of
   * the round's document queued before it, so a recount is never overtaken by an older write.
   */
  function tallyOf(roundId: string): Promise<Tally> {
    let entry = tallies.get(roundId);
    if (entry) {
      tallies.delete(roundId); // moved to the end: most recently used
    } else {
      const loading = lock.run(roundId, () => load(roundId));
      const created: { loading: Promise<Tally>; tally: Tally | null } = { loading, tally: null };
      loading.then(
        (tally) => (created.tally = tally),
        () => tallies.get(roundId) === created && tallies.delete(roundId),
      );
      entry = created;
    }
    tallies.set(roundId, entry);
    forgetIdle();
    return entry.loading;
  }

  /** Keeps at most KEPT_ROUNDS rounds in memory, forgetting the least recently used idle ones. */
  function forgetIdle(): void {
    for (const [roundId, entry] of tallies) {
      if (tallies.size <= KEPT_ROUNDS) return;
      if (entry.tally && idle(entry.tally)) tallies.delete(roundId);
    }
  }

  function schedule(roundId: string, tally: Tally): void {
    if (tally.broken) {
      if (tally.writing > 0) return;
      // Forgotten with what it did not write: its document stays dirty, so the next read counts
      // the round from its responses.
      clearTimeout(tally.timer ?? undefined);
      tally.timer = null;
      tally.pending = { n: 0, cells: {} };
      if (tallies.get(roundId)?.tally === tally) tallies.delete(roundId);
      return;
    }
    // unref: a wait never keeps the process alive; stopping writes what waits (flushAll).
    tally.timer ??= setTimeout(() => void flush(roundId, tally), delayMs).unref();
  }

  /**
   * Writes the round's pending changes. The document is marked clean only when no write is
   * under way: one that is would otherwise be lost by a stop before its change is written.
   */
  function flush(roundId: string, tally: Tally): Promise<void> {
    clearTimeout(tally.timer ?? undefined);
    tally.timer = null;
    return lock.run(roundId, async () => {
      if (tally.broken) return;
      const { n, cells } = tally.pending;
      const clean = tally.writing === 0 && !tally.broken;
      if (n === 0 && Object.keys(cells).length === 0 && !clean) return;
      tally.pending = { n: 0, cells: {} };
      // A write that starts from now on marks the document again, and its mark queues behind
      // this update (the lock keeps the order), so a clean mark never hides its answer.
      if (clean) tally.marked = null;
      try {
        await docs.updateOne(
          { _id: roundId },
          {
            $inc: {
              n,
              ...Object.fromEntries(Object.entries(cells).map(([k, v]) => [`cells.${k}`, v])),
            },
            ...(clean ? { $set: { dirty: false } } : {}),
          },
        );
      } catch {
        // Not written (the database is away): kept for the next write's flush, or the stop's;
        // the document stays dirty meanwhile, so a stop before then means a recount.
        tally.pending = { n: tally.pending.n + n, cells: addCells(tally.pending.cells, cells) };
      }
    });
  }

  return {
    /**
     * Runs `store` (one write of a response of the round, saying what it changed) and adds the
     * change to the round's counts. The round's document is marked dirty before the first write
     * since its counts were last written clean, and that mark is awaited by every write after.
     */
    async write<T>(
      roundId: string,
      store: () => Promise<{ result: T; change: Change }>,
    ): Promise<T> {
      const tally = await tallyOf(roundId);
      tally.writing += 1;
      try {
        tally.marked ??= lock
          .run(roundId, () => docs.updateOne({ _id: roundId }, { $set: { dirty: true } }))
          .catch((err: unknown) => {
            tally.marked = null;
            throw err;
          });
        await tally.marked;
        let written: { result: T; change: Change };
        try {
          written = await store();
        } catch (err) {
          tally.broken = true;
          throw err;
        }
        if (written.change) {
          const texts = textsIn(written.change.after);
          tally.texts?.set(written.change.id, texts);
          if (tally.textsLoading) tally.textsWritten.set(written.change.id, texts);
          const delta = tallyDelta(written.change.before, written.change.after);
          tally.n += delta.n;
          tally.cells = addCells(tally.cells, delta.cells);
          tally.pending = {
            n: tally.pending.n + delta.n,
            cells: addCells(tally.pending.cells, delta.cells),
          };
        }
        return written.result;
      } finally {
        tally.writing -= 1;
        schedule(roundId, tally);
      }
    },

    /** Everything reports count in the round. */
    async counts(roundId: string): Promise<RoundCounts> {
      const tally = await tallyOf(roundId);
      return tally.broken ? deps.recount(roundId) : toRoundCounts(tally.n, tally.cells);
    },

    /** The round's free texts, read once and then kept up to date by its writes. */
    async texts(roundId: string): Promise<ResponseText[]> {
      const tally = await tallyOf(roundId);
      if (tally.broken) return [...(await deps.readTexts(roundId)).values()].flat();
      if (!tally.texts) {
        tally.textsLoading ??= deps.readTexts(roundId).then(
          (read) => {
            for (const [id, texts] of tally.textsWritten) read.set(id, texts);
            tally.textsWritten.clear();
            tally.texts = read;
            tally.textsLoading = null;
            return read;
          },
          (err: unknown) => {
            tally.textsWritten.clear();
            tally.textsLoading = null;
            throw err;
          },
        );
        await tally.textsLoading;
      }
      return [...tally.texts!.values()].flat();
    },

    /** Writes every pending change now (the process stops). */
    async flushAll(): Promise<void> {
      await Promise.all(
        [...tallies].flatMap(([roundId, { tally }]) =>
          tally && (tally.timer || tally.marked) ? [flush(roundId, tally)] : [],
        ),
      );
    },
  };
}

export type Tallies = ReturnType<typeof createTallies>;
