import { mongo, type Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import { responseModel, type AnswerDoc, type ResponseDoc } from './response.model';

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

type Content = {
  answers: AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
};

export function createResponseRepository(conn: Connection) {
  const model = responseModel(conn);

  /** Replaces the content of the response of `editKeyHash`; false when there is none. */
  async function replace(roundId: string, editKeyHash: string, content: Content): Promise<boolean> {
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
        await model.create({ _id: randomId(), workspaceId, roundId, editKeyHash, ...content });
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
