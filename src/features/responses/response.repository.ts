import type { Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { responseModel } from './response.model';

export function createResponseRepository(conn: Connection) {
  const model = responseModel(conn);

  return {
    async init(): Promise<void> {
      await model.createIndexes();
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
