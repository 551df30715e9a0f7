import { type Connection } from 'mongoose';
import { anyOf, present } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { mapInBatches } from '../../shared/batches';
import { responseModel, type AnswerDoc, type ResponseDoc, type VoteDoc } from './response.model';
import type { Counted, RoundCounts } from './tally';

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

/** What a write stored, and what it changed of the round's counts (null: nothing). */
export type Written<T> = Readonly<{
  result: T;
  change: Readonly<{ before: Counted | null; after: Counted }> | null;
}>;

/** Rounds counted at the same time: a comparison of many rounds must not flood the database. */
export const PARALLEL_COUNTS = 4;

type Content = {
  answers: AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
};

/** The flat copy of the dcf classifications that reports count (see ResponseDoc.votes). */
function withVotes(content: Content): Content & { votes: VoteDoc[] } {
  return {
    ...content,
    votes: content.answers.flatMap((a) =>
      (a.classes ?? []).map((c) => ({ itemId: a.itemId, aspect: c.aspect, class: c.class })),
    ),
  };
}

/**
 * The responses collection: one document per respondent and round. Each write says what it
 * changed, for the counting that runs it (response.counting.ts); this module keeps no counts.
 */
export function createResponseRepository(conn: Connection) {
  const model = responseModel(conn);

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
   * Everything reports count in one round, counted by the database from its responses. Two
   * aggregations, because `$unwind` keeps only the unwound field on some servers; both group
   * on the unwound entries alone, which every supported server does alike.
   */
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

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** Replaces the content of the response of `editKeyHash`; false when there is none. */
    async replace(
      roundId: string,
      editKeyHash: string,
      answered: Content,
    ): Promise<Written<boolean>> {
      const after = withVotes(answered);
      const before = await replaceReturningBefore(roundId, editKeyHash, after);
      return { result: before !== null, change: before ? { before, after } : null };
    },

    /**
     * Stores the response of `editKeyHash`: a new document the first time, the same document
     * after that. Insert first (a new respondent is the common case, and an insert needs no
     * search); the unique index on (round, key) turns a second submit, or a double click, into
     * a replace of the one response.
     */
    async upsert(
      input: { workspaceId: string; roundId: string; editKeyHash: string } & Content,
    ): Promise<Written<'created' | 'updated'>> {
      const { workspaceId, roundId, editKeyHash, ...content } = input;
      const after = withVotes(content);
      try {
        await model.create({ _id: randomId(), workspaceId, roundId, editKeyHash, ...after });
        return { result: 'created', change: { before: null, after } };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const before = await replaceReturningBefore(roundId, editKeyHash, after);
        return { result: 'updated', change: before ? { before, after } : null };
      }
    },

    async findByKey(roundId: string, editKeyHash: string): Promise<StoredResponse | null> {
      const doc = await model.findOne({ roundId, editKeyHash }).lean<ResponseDoc>();
      return doc ? toStored(doc) : null;
    },

    countRound,

    /** Counts of many rounds, by countRound, a few at a time. */
    async countRounds(roundIds: readonly string[]): Promise<Map<string, RoundCounts>> {
      const counted = await mapInBatches(roundIds, PARALLEL_COUNTS, countRound);
      return new Map(roundIds.map((id, i) => [id, counted[i]!]));
    },

    /** Responses per round, counted by the database in one aggregation. */
    async countByRound(roundIds: readonly string[]): Promise<Map<string, number>> {
      const counted = new Map(roundIds.map((id) => [id, 0]));
      if (roundIds.length === 0) return counted;
      const groups = await model.aggregate<{ _id: string; n: number }>([
        { $match: { roundId: { $in: [...roundIds] } } },
        { $group: { _id: '$roundId', n: { $sum: 1 } } },
      ]);
      for (const g of groups) counted.set(g._id, g.n);
      return counted;
    },

    /**
     * The free texts of rounds (read apart from the counts: they are shown under the anonymity
     * rules). Only the answers' item ids and texts leave the database, and only from responses
     * that have a text. (A find, not `$unwind`, which keeps neither the round nor the name on
     * some servers.)
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

export type ResponseRepository = ReturnType<typeof createResponseRepository>;
