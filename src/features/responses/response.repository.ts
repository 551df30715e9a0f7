import { mongo, type Collection, type Connection } from 'mongoose';
import type { DatabaseCapabilities } from '../../shared/db/capabilities';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { randomId } from '../../shared/ids';
import { mapInBatches } from '../../shared/batches';
import { createKeyedLock } from '../../shared/keyed-lock';
import { responseModel, type ResponseDoc, type VoteDoc } from './response.model';
import type { ResponseContent, ResponseText, RoundCounts, StoredResponse } from './response.types';
import { textsIn } from './texts';
import { COUNTS_COLLECTION, createTallies, type Change } from './tally.repository';

/** Rounds read at the same time: a comparison of many rounds must not flood the database. */
const PARALLEL_ROUNDS = 4;

/** The collection of every response in the shared layout, and the prefix of the per-round ones. */
export const RESPONSES_COLLECTION = 'responses';

/**
 * Where a round's responses live, chosen by the store (response.store.ts) from what the server
 * can do: every round's in one collection, found by index (`shared`), or each round's in a
 * collection of its own (`per-round`), for a server whose queries use no index, so that what a
 * round costs never depends on what other rounds hold. The documents are the same in both.
 */
export type ResponseLayout = 'shared' | 'per-round';

/** The layout that suits a server: one collection where its queries use indexes. */
export function layoutFor(
  capabilities: Pick<DatabaseCapabilities, 'indexedQueries'>,
): ResponseLayout {
  return capabilities.indexedQueries ? 'shared' : 'per-round';
}

export function collectionOf(layout: ResponseLayout, roundId: string): string {
  return layout === 'shared' ? RESPONSES_COLLECTION : `${RESPONSES_COLLECTION}.${roundId}`;
}

/** True for a collection that holds responses, in either layout. */
export function isResponseCollection(name: string): boolean {
  return name === RESPONSES_COLLECTION || name.startsWith(`${RESPONSES_COLLECTION}.`);
}

/**
 * What earlier versions kept beside the responses on a server without index use: counts per
 * round, updated by every write. Counts now come from the round's own collection; the tallies
 * are removed when the database is prepared.
 */
const LEGACY_TALLIES = 'response_tallies';

/** Documents moved per batch when a database changes layout. */
const MOVE_BATCH = 1000;

/** One response per respondent key and round: a double submit cannot store two. */
const KEY_INDEX = {
  key: { roundId: 1, editKeyHash: 1 },
  unique: true,
  name: 'roundId_1_editKeyHash_1',
} as const;

const toStored = (d: ResponseDoc): StoredResponse => ({
  id: d._id,
  answers: d.answers,
  day: d.day,
  ...(d.respondentName ? { respondentName: d.respondentName } : {}),
  ...(d.respondentRole ? { respondentRole: d.respondentRole } : {}),
});

/** The flat copy of the dcf classifications that counts read (see ResponseDoc.votes). */
function withVotes(content: ResponseContent) {
  return {
    ...content,
    answers: [...content.answers],
    votes: content.answers.flatMap((a): VoteDoc[] =>
      (a.classes ?? []).map((c) => ({ itemId: a.itemId, aspect: c.aspect, class: c.class })),
    ),
  };
}

/**
 * The responses of one layout: one document per respondent and round, written and read through
 * the driver in the round's collection. The Mongoose schema stays the storage backstop: every
 * document is validated by it before it is written.
 */
export function createResponseRepository(conn: Connection, layout: ResponseLayout) {
  const model = responseModel(conn);
  const collection = (roundId: string): Collection<ResponseDoc> =>
    conn.collection<ResponseDoc>(collectionOf(layout, roundId));
  /**
   * Per-round collections whose key index this process has made sure of, once each before the
   * round's first insert (the shared collection's is made when the database is prepared): one
   * entry per round written to since the process started, shared by a round's first answers
   * arriving together, forgotten when it fails.
   */
  const indexed = new Map<string, Promise<void>>();

  function ensureKeyIndex(roundId: string): Promise<void> {
    if (layout === 'shared') return Promise.resolve();
    let made = indexed.get(roundId);
    if (!made) {
      made = ensureIndex(collection(roundId)).catch((err: unknown) => {
        indexed.delete(roundId);
        throw err;
      });
      indexed.set(roundId, made);
    }
    return made;
  }

  /**
   * Where the per-round layout keeps each round's counts (reading them from the responses costs
   * about a millisecond per response on such a server); the shared layout counts by index.
   */
  const tallies =
    layout === 'per-round'
      ? createTallies({
          conn,
          recount: countRound,
          readTexts: textsByResponse,
        })
      : null;
  /**
   * Writes of one respondent's response, one at a time in this process where counts are kept:
   * such a server does not isolate two updates of one document, which could then both return
   * the same content as replaced, and its change would be taken away twice.
   */
  const turns = createKeyedLock();
  /** Runs one write of a response; the round's counts follow what it changed. */
  const counted = <T>(
    roundId: string,
    editKeyHash: string,
    store: () => Promise<{ result: T; change: Change }>,
  ) =>
    tallies
      ? turns.run(`${roundId} ${editKeyHash}`, () => tallies.write(roundId, store))
      : store().then((w) => w.result);

  /** Replaces the content of the response of `editKeyHash`, saying what it changed. */
  async function replaceReturningChange(
    roundId: string,
    editKeyHash: string,
    content: ResponseContent,
  ): Promise<{ result: boolean; change: Change }> {
    const after = withVotes(content);
    await model.validate({ _id: 'x', workspaceId: 'x', roundId, editKeyHash, ...after });
    const unset = {
      ...(after.respondentName ? {} : { respondentName: 1 as const }),
      ...(after.respondentRole ? {} : { respondentRole: 1 as const }),
    };
    const before = await collection(roundId).findOneAndUpdate(
      { roundId, editKeyHash },
      { $set: after, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
      { returnDocument: 'before' },
    );
    return { result: before !== null, change: before ? { id: before._id, before, after } : null };
  }

  /**
   * Everything reports count in one round, counted by the database from the round's responses.
   * Two aggregations, because `$unwind` keeps only the unwound field on some servers; both group
   * on the unwound entries alone, which every supported server does alike.
   */
  async function countRound(roundId: string): Promise<RoundCounts> {
    const responses = collection(roundId);
    const [n, answers, votes] = await Promise.all([
      responses.countDocuments({ roundId }),
      responses
        .aggregate<{
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
        ])
        .toArray(),
      responses
        .aggregate<{
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
        ])
        .toArray(),
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

  /** `read` for each round, a few rounds at a time, by round id. */
  async function perRound<T>(
    roundIds: readonly string[],
    read: (roundId: string) => Promise<T>,
  ): Promise<Map<string, T>> {
    const results = await mapInBatches(roundIds, PARALLEL_ROUNDS, read);
    return new Map(roundIds.map((id, i) => [id, results[i]!]));
  }

  /**
   * The free texts of one round: only the answers' item ids and texts (and names, in named
   * rounds) leave the database, and only from responses that have a text. (A find, not
   * `$unwind`, which keeps neither the round nor the name on some servers.)
   */
  async function textsByResponse(roundId: string): Promise<Map<string, ResponseText[]>> {
    const docs = await collection(roundId)
      .find(
        { roundId, 'answers.text': { $exists: true } },
        { projection: { _id: 1, respondentName: 1, 'answers.itemId': 1, 'answers.text': 1 } },
      )
      .toArray();
    return new Map(docs.map((d) => [d._id, textsIn(d)]));
  }
  const textsOf = async (roundId: string) => [...(await textsByResponse(roundId)).values()].flat();

  return {
    layout,

    /**
     * Prepares the database for this layout: the shared collection's key index (per-round
     * collections get theirs at their first write), responses stored in the other layout moved
     * here, and the counts earlier versions kept removed.
     */
    async prepare(): Promise<void> {
      if (layout === 'shared')
        await ensureIndex(conn.collection<ResponseDoc>(RESPONSES_COLLECTION));
      const moved = await moveInto(conn, layout);
      // Counts kept by the per-round layout do not follow writes made in the other one: gone
      // there, and here whenever responses came in from it.
      if (layout === 'shared' || moved > 0) await dropIfPresent(conn, COUNTS_COLLECTION);
      await dropIfPresent(conn, LEGACY_TALLIES);
    },

    /** Replaces the content of the response of `editKeyHash`; false when there is none. */
    replace: (roundId: string, editKeyHash: string, content: ResponseContent) =>
      counted(roundId, editKeyHash, () => replaceReturningChange(roundId, editKeyHash, content)),

    /**
     * Stores the response of `editKeyHash`: a new document the first time, the same document
     * after that. Insert first (a new respondent is the common case, and an insert needs no
     * search); the unique index on (round, key) turns a second submit, or a double click, into
     * a replace of the one response.
     */
    async save(
      input: { workspaceId: string; roundId: string; editKeyHash: string } & ResponseContent,
    ): Promise<'created' | 'updated'> {
      const { workspaceId, roundId, editKeyHash, ...content } = input;
      const after = withVotes(content);
      const doc = { _id: randomId(), workspaceId, roundId, editKeyHash, ...after };
      await model.validate(doc);
      await ensureKeyIndex(roundId);
      return counted(roundId, editKeyHash, async () => {
        try {
          await collection(roundId).insertOne(doc);
          return { result: 'created' as const, change: { id: doc._id, before: null, after } };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          const replaced = await replaceReturningChange(roundId, editKeyHash, content);
          return { result: 'updated' as const, change: replaced.change };
        }
      });
    },

    async findByKey(roundId: string, editKeyHash: string): Promise<StoredResponse | null> {
      const doc = await collection(roundId).findOne({ roundId, editKeyHash });
      return doc ? toStored(doc) : null;
    },

    /** Everything reports count, per round. */
    counts: (roundIds: readonly string[]) =>
      perRound(roundIds, (roundId) => (tallies ? tallies.counts(roundId) : countRound(roundId))),

    /** Responses per round: one aggregation in the shared collection, a count per round else. */
    async sizes(roundIds: readonly string[]): Promise<Map<string, number>> {
      if (tallies) return perRound(roundIds, async (roundId) => (await tallies.counts(roundId)).n);
      const counted = new Map(roundIds.map((id) => [id, 0]));
      if (roundIds.length === 0) return counted;
      const groups = await conn
        .collection<ResponseDoc>(RESPONSES_COLLECTION)
        .aggregate<{ _id: string; n: number }>([
          { $match: { roundId: { $in: [...roundIds] } } },
          { $group: { _id: '$roundId', n: { $sum: 1 } } },
        ])
        .toArray();
      for (const g of groups) counted.set(g._id, g.n);
      return counted;
    },

    /** The free texts of rounds (read apart from the counts: shown under the anonymity rules). */
    texts: (roundIds: readonly string[]) =>
      perRound(roundIds, (roundId) => (tallies ? tallies.texts(roundId) : textsOf(roundId))),

    /** Writes the counts' pending changes now (the process stops). */
    flush: async (): Promise<void> => {
      await tallies?.flushAll();
    },

    /** Every response of a round, for the raw export. */
    async all(roundId: string): Promise<StoredResponse[]> {
      const docs = await collection(roundId).find({ roundId }).toArray();
      return docs.map(toStored);
    },
  };
}

/** Makes sure `responses` has the key index (a no-op when it has). */
export async function ensureIndex(responses: Collection<ResponseDoc>): Promise<void> {
  await responses.createIndex(KEY_INDEX.key, { unique: KEY_INDEX.unique, name: KEY_INDEX.name });
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;

/**
 * Moves every response stored in the other layout into `layout`: copies first (a copy already
 * there, from a move cut short, is skipped by the key index), then drops the collection moved
 * from, so a move that stops half-way is finished by the next start.
 */
async function moveInto(conn: Connection, layout: ResponseLayout): Promise<number> {
  const db = conn.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter(isResponseCollection);
  const sources = names.filter((name) =>
    layout === 'shared' ? name !== RESPONSES_COLLECTION : name === RESPONSES_COLLECTION,
  );
  let moved = 0;
  for (const source of sources) {
    const from = conn.collection<ResponseDoc>(source);
    let batch: ResponseDoc[] = [];
    for await (const doc of from.find({}, { batchSize: MOVE_BATCH })) {
      moved += 1;
      batch.push(doc);
      if (batch.length === MOVE_BATCH) {
        await copy(conn, layout, batch);
        batch = [];
      }
    }
    await copy(conn, layout, batch);
    await from.drop();
  }
  return moved;
}

/** Inserts `docs` where `layout` keeps them, skipping those already there. */
async function copy(
  conn: Connection,
  layout: ResponseLayout,
  docs: readonly ResponseDoc[],
): Promise<void> {
  const byCollection = new Map<string, ResponseDoc[]>();
  for (const doc of docs) {
    const name = collectionOf(layout, doc.roundId);
    byCollection.set(name, [...(byCollection.get(name) ?? []), doc]);
  }
  for (const [name, group] of byCollection) {
    const to: Collection<ResponseDoc> = conn.collection<ResponseDoc>(name);
    await ensureIndex(to);
    await to.insertMany(group, { ordered: false }).catch((err: unknown) => {
      const duplicatesOnly =
        err instanceof mongo.MongoBulkWriteError &&
        [err.writeErrors].flat().every((e) => e.code === 11000);
      if (!duplicatesOnly) throw err;
    });
  }
}

async function dropIfPresent(conn: Connection, name: string): Promise<void> {
  const found = await conn.db!.listCollections({ name }, { nameOnly: true }).toArray();
  if (found.length > 0) await conn.db!.dropCollection(name);
}
