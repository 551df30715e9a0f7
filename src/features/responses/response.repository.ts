import { type Connection } from 'mongoose';
import { anyOf, present } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { ServiceUnavailableError } from '../../shared/errors';
import { createKeyedLock } from '../../shared/keyed-lock';
import {
  responseModel,
  TALLIES_COLLECTION,
  type AnswerDoc,
  type ResponseDoc,
  type ResponseTallyDoc,
  type VoteDoc,
} from './response.model';
import {
  tallyDelta,
  toCells,
  toRoundCounts,
  type Cells,
  type Counted,
  type RoundCounts,
} from './tally';

export type StoredResponse = Readonly<{
  id: string;
  answers: readonly AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
}>;

const toStored = (d: ResponseDoc): StoredResponse => ({
  id: d._id,
  answers: d.answers,
  day: d.day,
  ...(d.respondentName ? { respondentName: d.respondentName } : {}),
  ...(d.respondentRole ? { respondentRole: d.respondentRole } : {}),
});

/** A free-text answer; the name only in named rounds. */
export type ResponseText = Readonly<{ itemId: string; text: string; name?: string }>;

/** The flat copy of the dcf classifications that reports count (see ResponseDoc.votes). */
function withVotes(content: Content): Content & { votes: VoteDoc[] } {
  return {
    ...content,
    votes: content.answers.flatMap((a) =>
      (a.classes ?? []).map((c) => ({ itemId: a.itemId, aspect: c.aspect, class: c.class })),
    ),
  };
}

type Content = {
  answers: AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
};

/** Rounds counted at the same time when their tallies must be rebuilt (see `counts`). */
const PARALLEL_COUNTS = 4;

/**
 * A write still marked as under way after this long is taken as failed (its process died, or
 * lost the database between storing a response and adding it to the tally), and the round is
 * counted again. Far above the time a write takes; only how soon a tally is repaired depends
 * on it, not whether it is.
 */
export const STALE_WRITE_MS = 60_000;

/**
 * How long a write may wait for the earlier writes of its round (see `lock`) before it gives
 * up with 503: beyond what a busy round's queue or a recount of 10,000 responses on FerretDB
 * takes, short enough that a slow or lost database does not pile up minutes of waiting.
 */
const QUEUE_WAIT_MS = 30_000;
const roundBusy = () =>
  new ServiceUnavailableError(
    'ROUND_BUSY',
    'Many answers are arriving for this round, or the database is slow. Try again in a moment.',
  );

/** What a write stored, and what it changed for the tally (null: nothing changed). */
type Written<T> = { result: T; change: { before: Counted | null; after: Counted } | null };

export function createResponseRepository(conn: Connection, clock: () => Date) {
  const model = responseModel(conn);
  const tallies = conn.collection<ResponseTallyDoc>(TALLIES_COLLECTION);
  /**
   * Serialises the writes of a round within this process. MongoDB makes each step below atomic
   * by itself, for any number of app instances; FerretDB 1.x does not (concurrent `$inc` on one
   * document lose updates: see README), and its embedded server has one app process only.
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

  /** The counts of one round, by the database: the truth that tallies are rebuilt from. */
  async function countRound(roundId: string): Promise<RoundCounts> {
    const [n, answers, votes] = await Promise.all([
      model.countDocuments({ roundId }),
      model.aggregate<{
        _id: { item: string; value?: number | null; desired?: number | null; atRisk?: boolean };
        n: number;
      }>([
        { $match: { roundId } },
        { $unwind: '$answers' },
        {
          $group: {
            _id: {
              item: '$answers.itemId',
              value: '$answers.value',
              desired: '$answers.desired',
              atRisk: '$answers.atRisk',
            },
            n: { $sum: 1 },
          },
        },
      ]),
      // A second aggregation: FerretDB's $unwind drops every other field (see README).
      model.aggregate<{
        _id: { item: string; aspect: string; cls: 'driver' | 'constraint' | 'float' };
        n: number;
      }>([
        { $match: { roundId } },
        { $unwind: '$votes' },
        {
          $group: {
            _id: { item: '$votes.itemId', aspect: '$votes.aspect', cls: '$votes.class' },
            n: { $sum: 1 },
          },
        },
      ]),
    ]);
    return {
      n,
      answers: answers.map((r) => ({
        itemId: r._id.item,
        value: r._id.value ?? null,
        desired: r._id.desired ?? null,
        atRisk: typeof r._id.atRisk === 'boolean' ? r._id.atRisk : null,
        n: r.n,
      })),
      votes: votes.map((r) => ({
        itemId: r._id.item,
        aspect: r._id.aspect,
        class: r._id.cls,
        n: r.n,
      })),
    };
  }

  /**
   * Runs `write` (which stores one response of the round and says what it replaced) and adds
   * what changed to the round's tally, in three steps: mark the write as under way, store the
   * response, add the change and remove the mark in one update. The mark is what lets a reader
   * notice a write that stopped half-way; the tally's version is what lets a recount notice a
   * write that came in while it counted.
   */
  async function tallied<T>(roundId: string, write: () => Promise<Written<T>>): Promise<T> {
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
          written = await write();
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

  /** Replaces the content of the response of `editKeyHash`, returning the content it had. */
  async function replaceReturningBefore(
    roundId: string,
    editKeyHash: string,
    content: Content & { votes: VoteDoc[] },
  ): Promise<ResponseDoc | null> {
    const unset = {
      ...(content.respondentName ? {} : { respondentName: 1 }),
      ...(content.respondentRole ? {} : { respondentRole: 1 }),
    };
    return model
      .findOneAndUpdate(
        { roundId, editKeyHash },
        { $set: content, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
        { returnDocument: 'before' },
      )
      .lean<ResponseDoc>();
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
        const counts = await countRound(roundId);
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
   * tally (never counted, or a write that stopped half-way) is counted by the database
   * ($unwind, $group, $sum: portable to FerretDB) and its tally rebuilt from that.
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
    // A few at a time: a comparison of many uncounted rounds must not flood the database.
    for (let start = 0; start < missing.length; start += PARALLEL_COUNTS) {
      const batch = missing.slice(start, start + PARALLEL_COUNTS);
      const recounted = await Promise.all(batch.map(recount));
      batch.forEach((id, i) => result.set(id, recounted[i]!));
    }
    return result;
  }

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** Replaces the content of the response of `editKeyHash`; false when there is none. */
    replace(roundId: string, editKeyHash: string, answered: Content): Promise<boolean> {
      const after = withVotes(answered);
      return tallied(roundId, async () => {
        const before = await replaceReturningBefore(roundId, editKeyHash, after);
        return { result: before !== null, change: before ? { before, after } : null };
      });
    },

    /**
     * Stores the response of `editKeyHash`: a new document the first time, the same document
     * after that. Insert first (a new respondent is the common case, and an insert needs no
     * search); the unique index on (round, key) turns a second submit, or a double click, into
     * a replace of the one response.
     */
    upsert(
      input: { workspaceId: string; roundId: string; editKeyHash: string } & Content,
    ): Promise<'created' | 'updated'> {
      const { workspaceId, roundId, editKeyHash, ...content } = input;
      const after = withVotes(content);
      return tallied(roundId, async (): Promise<Written<'created' | 'updated'>> => {
        try {
          await model.create({ _id: randomId(), workspaceId, roundId, editKeyHash, ...after });
          return { result: 'created', change: { before: null, after } };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          const before = await replaceReturningBefore(roundId, editKeyHash, after);
          return { result: 'updated', change: before ? { before, after } : null };
        }
      });
    },

    async findByKey(roundId: string, editKeyHash: string): Promise<StoredResponse | null> {
      const doc = await model.findOne({ roundId, editKeyHash }).lean<ResponseDoc>();
      return doc ? toStored(doc) : null;
    },

    counts,

    /** The tally of a round that has no responses yet: counted, at zero. */
    async startTally(roundId: string): Promise<void> {
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

    /** Responses per round, from the same tallies. */
    async countByRound(roundIds: readonly string[]): Promise<Map<string, number>> {
      const counted = await counts(roundIds);
      return new Map([...counted].map(([id, c]) => [id, c.n]));
    },

    /**
     * The free texts of rounds (read apart from the counts: they are shown under the anonymity
     * rules). Only the answers' item ids and texts leave the database, and only from responses
     * that have a text. (A find, not $unwind: FerretDB's $unwind drops the round and the name.)
     */
    async texts(roundIds: readonly string[]): Promise<Map<string, ResponseText[]>> {
      const texts = new Map(roundIds.map((id) => [id, [] as ResponseText[]]));
      if (roundIds.length === 0) return texts;
      const docs = await model
        .find(
          { roundId: anyOf(roundIds), 'answers.text': present() },
          { _id: 0, roundId: 1, respondentName: 1, 'answers.itemId': 1, 'answers.text': 1 },
        )
        .lean<Pick<ResponseDoc, 'roundId' | 'answers' | 'respondentName'>[]>();
      for (const d of docs) {
        for (const a of d.answers) {
          if (!a.text) continue;
          texts.get(d.roundId)?.push({
            itemId: a.itemId,
            text: a.text,
            ...(d.respondentName ? { name: d.respondentName } : {}),
          });
        }
      }
      return texts;
    },

    /** Every response of a round, for the raw export. */
    async all(roundId: string): Promise<StoredResponse[]> {
      const docs = await model.find({ roundId }).lean<ResponseDoc[]>();
      return docs.map(toStored);
    },
  };
}

/** `cells` as update paths under `prefix`. */
function prefixed(prefix: string, cells: Cells): Cells {
  return Object.fromEntries(Object.entries(cells).map(([key, n]) => [prefix + key, n]));
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;
