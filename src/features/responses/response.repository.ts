import { mongo, type Connection } from 'mongoose';
import { anyOf, present } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import { responseModel, type AnswerDoc, type ResponseDoc, type VoteDoc } from './response.model';

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

export type ScaleCount = Readonly<{
  itemId: string;
  value: number | null;
  desired: number | null;
  n: number;
}>;
export type ClassCount = Readonly<{
  itemId: string;
  aspect: string;
  class: 'driver' | 'constraint' | 'float';
  n: number;
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

export function createResponseRepository(conn: Connection) {
  const model = responseModel(conn);

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
      await model.createIndexes();
    },

    replace,

    /**
     * Stores the response of `editKeyHash`: a new document the first time, the same document
     * after that. The unique index on (round, key) makes a double submit store one response:
     * the second insert fails and becomes a replace.
     */
    async upsert(
      input: { workspaceId: string; roundId: string; editKeyHash: string } & Content,
    ): Promise<'created' | 'updated'> {
      const { workspaceId, roundId, editKeyHash, ...content } = input;
      if (await replace(roundId, editKeyHash, content)) return 'updated';
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
        if (err instanceof mongo.MongoServerError && err.code === 11000) {
          await replace(roundId, editKeyHash, content);
          return 'updated';
        }
        throw err;
      }
    },

    async findByKey(roundId: string, editKeyHash: string): Promise<StoredResponse | null> {
      const doc = await model.findOne({ roundId, editKeyHash }).lean<ResponseDoc>();
      return doc ? toStored(doc) : null;
    },

    /**
     * Counts per (item, value, desired) for the scale answers of a round: the histograms of
     * tensions, maturity items and practice ratings. The database only counts ($unwind, $group,
     * $sum: portable to FerretDB), so the cost grows with items × scale points, not responses.
     */
    async scaleCounts(roundId: string): Promise<ScaleCount[]> {
      const rows = await model.aggregate<{
        _id: { item: string; value?: number | null; desired?: number | null };
        n: number;
      }>([
        { $match: { roundId } },
        { $unwind: '$answers' },
        {
          $group: {
            _id: { item: '$answers.itemId', value: '$answers.value', desired: '$answers.desired' },
            n: { $sum: 1 },
          },
        },
      ]);
      return rows.map((r) => ({
        itemId: r._id.item,
        value: r._id.value ?? null,
        desired: r._id.desired ?? null,
        n: r.n,
      }));
    },

    /** Votes per (item, aspect, class) of the dcf answers of a round. */
    async classCounts(roundId: string): Promise<ClassCount[]> {
      const rows = await model.aggregate<{
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
      ]);
      return rows.map((r) => ({
        itemId: r._id.item,
        aspect: r._id.aspect,
        class: r._id.cls,
        n: r.n,
      }));
    },

    /** Respondents per (dcf item, verdict). */
    async riskCounts(roundId: string): Promise<{ itemId: string; atRisk: boolean; n: number }[]> {
      const rows = await model.aggregate<{
        _id: { item: string; atRisk?: boolean | null };
        n: number;
      }>([
        { $match: { roundId } },
        { $unwind: '$answers' },
        { $group: { _id: { item: '$answers.itemId', atRisk: '$answers.atRisk' }, n: { $sum: 1 } } },
      ]);
      return rows
        .filter((r) => typeof r._id.atRisk === 'boolean')
        .map((r) => ({ itemId: r._id.item, atRisk: r._id.atRisk === true, n: r.n }));
    },

    /** The free texts of a round (read separately: they are shown under the anonymity rules). */
    async texts(roundId: string): Promise<{ itemId: string; text: string; name?: string }[]> {
      // Only the answers that carry a text leave the database, not whole responses.
      const docs = await model.aggregate<Pick<ResponseDoc, 'answers' | 'respondentName'>>([
        { $match: { roundId } },
        { $unwind: '$answers' },
        { $match: { 'answers.text': present() } },
        { $project: { 'answers.itemId': 1, 'answers.text': 1, respondentName: 1 } },
      ]);
      return docs.flatMap((d) =>
        // After $unwind, `answers` is one answer, not an array.
        ([] as AnswerDoc[]).concat(d.answers).flatMap((a) =>
          a.text
            ? [
                {
                  itemId: a.itemId,
                  text: a.text,
                  ...(d.respondentName ? { name: d.respondentName } : {}),
                },
              ]
            : [],
        ),
      );
    },

    /** Every response of a round, for the raw export. */
    async all(roundId: string): Promise<StoredResponse[]> {
      const docs = await model.find({ roundId }).lean<ResponseDoc[]>();
      return docs.map(toStored);
    },

    /** Responses per round, counted by the database. */
    async countByRound(roundIds: readonly string[]): Promise<Map<string, number>> {
      if (roundIds.length === 0) return new Map();
      const rows = await model.aggregate<{ _id: string; n: number }>([
        { $match: { roundId: anyOf(roundIds) } },
        { $group: { _id: '$roundId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    },
  };
}

export type ResponseRepository = ReturnType<typeof createResponseRepository>;
