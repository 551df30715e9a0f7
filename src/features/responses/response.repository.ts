import { type Connection } from 'mongoose';
import { anyOf, present } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import {
  countsSnapshotModel,
  responseModel,
  type AnswerDoc,
  type CountsSnapshotDoc,
  type ResponseDoc,
  type VoteDoc,
} from './response.model';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';

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

/** Answers per (item, value, desired, dcf verdict): histograms and at-risk counts come from these. */
export type AnswerCount = Readonly<{
  itemId: string;
  value: number | null;
  desired: number | null;
  atRisk: boolean | null;
  n: number;
}>;
/** dcf votes per (item, aspect, class). */
export type VoteCount = Readonly<{
  itemId: string;
  aspect: string;
  class: 'driver' | 'constraint' | 'float';
  n: number;
}>;
/** A free-text answer; the name only in named rounds. */
export type ResponseText = Readonly<{ itemId: string; text: string; name?: string }>;
/** Everything a report counts in a round. */
export type RoundCounts = Readonly<{
  n: number;
  answers: readonly AnswerCount[];
  votes: readonly VoteCount[];
}>;

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

/** Rounds counted at the same time (see `counts`). */
const PARALLEL_COUNTS = 4;

export function createResponseRepository(conn: Connection) {
  const model = responseModel(conn);
  const snapshots = countsSnapshotModel(conn);

  /** The counts of one round: see `counts`. */
  async function countRound(roundId: string, options: { votes: boolean }): Promise<RoundCounts> {
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
      options.votes
        ? model.aggregate<{
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
        : [],
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

  /** Responses per round, counted by the database. */
  async function countByRound(roundIds: readonly string[]): Promise<Map<string, number>> {
    if (roundIds.length === 0) return new Map();
    const rows = await model.aggregate<{ _id: string; n: number }>([
      { $match: { roundId: anyOf(roundIds) } },
      { $group: { _id: '$roundId', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /** Replaces the content of the response of `editKeyHash`; false when there is none. */
  async function replace(
    roundId: string,
    editKeyHash: string,
    answered: Content,
  ): Promise<boolean> {
    const content = withVotes(answered);
    const unset = {
      ...(content.respondentName ? {} : { respondentName: 1 }),
      ...(content.respondentRole ? {} : { respondentRole: 1 }),
    };
    const result = await model.updateOne(
      { roundId, editKeyHash },
      { $set: content, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
    );
    return result.matchedCount === 1;
  }

  return {
    async init(): Promise<void> {
      await Promise.all([model.createIndexes(), snapshots.createIndexes()]);
    },

    replace,

    /**
     * Stores the response of `editKeyHash`: a new document the first time, the same document
     * after that. Insert first (a new respondent is the common case, and an insert needs no
     * search); the unique index on (round, key) turns a second submit, or a double click, into
     * a replace of the one response.
     */
    async upsert(
      input: { workspaceId: string; roundId: string; editKeyHash: string } & Content,
    ): Promise<'created' | 'updated'> {
      const { workspaceId, roundId, editKeyHash, ...content } = input;
      try {
        await model.create({
          _id: randomId(),
          workspaceId,
          roundId,
          editKeyHash,
          ...withVotes(content),
        });
        return 'created';
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        await replace(roundId, editKeyHash, content);
        return 'updated';
      }
    },

    async findByKey(roundId: string, editKeyHash: string): Promise<StoredResponse | null> {
      const doc = await model.findOne({ roundId, editKeyHash }).lean<ResponseDoc>();
      return doc ? toStored(doc) : null;
    },

    /**
     * Everything reports count in each of `roundIds`, counted by the database ($unwind, $group,
     * $sum: portable to FerretDB), so what leaves it grows with rounds × items × scale points,
     * not with responses. One round per aggregation: FerretDB's $unwind drops every other
     * field, the round's id included (see README), so rounds cannot be told apart after it.
     * `votes: false` skips the dcf votes when the questionnaire has none.
     */
    async counts(
      roundIds: readonly string[],
      options: { votes: boolean },
    ): Promise<Map<string, RoundCounts>> {
      const counted = new Map<string, RoundCounts>();
      // A few at a time: a comparison of many rounds must not flood the database's pool.
      for (let start = 0; start < roundIds.length; start += PARALLEL_COUNTS) {
        const batch = roundIds.slice(start, start + PARALLEL_COUNTS);
        const results = await Promise.all(batch.map((id) => countRound(id, options)));
        batch.forEach((id, i) => counted.set(id, results[i]!));
      }
      return counted;
    },

    /** The stored counts of settled rounds, by round; rounds without one are missing. */
    async snapshots(roundIds: readonly string[]): Promise<Map<string, RoundCounts>> {
      if (roundIds.length === 0) return new Map();
      const docs = await snapshots.find({ _id: anyOf(roundIds) }).lean<CountsSnapshotDoc[]>();
      return new Map(docs.map((d) => [d._id, { n: d.n, answers: d.answers, votes: d.votes }]));
    },

    /**
     * Stores the counts of a settled round. Two readers may both count and store: the second
     * insert meets the unique _id and is dropped, as both carry the same numbers.
     */
    async saveSnapshot(roundId: string, counts: RoundCounts, now: Date): Promise<void> {
      try {
        await snapshots.create({
          _id: roundId,
          n: counts.n,
          answers: [...counts.answers],
          votes: [...counts.votes],
          createdAt: now,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
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

    countByRound,
  };
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;
