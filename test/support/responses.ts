import type { Connection } from '../../src/shared/db/connect';
import { isResponseCollection } from '../../src/features/responses';

/** A stored response document, as much of it as tests read. */
export type RawResponse = {
  _id: unknown;
  roundId: string;
  editKeyHash: string;
  day: string;
  answers: { itemId: string; value?: number; text?: string; [field: string]: unknown }[];
  [field: string]: unknown;
};

/** The names of the collections that hold responses, in whichever layout the store chose. */
async function responseCollections(conn: Connection): Promise<string[]> {
  const found = await conn.db!.listCollections({}, { nameOnly: true }).toArray();
  return found.map((c) => c.name).filter(isResponseCollection);
}

/**
 * The response documents stored (of one round, with `roundId`), read from the database itself
 * wherever the store keeps them: what is really stored, not what the app says it stored.
 */
export async function storedResponses(conn: Connection, roundId?: string): Promise<RawResponse[]> {
  const filter = roundId === undefined ? {} : { roundId };
  const lists = await Promise.all(
    (await responseCollections(conn)).map((name) =>
      conn.collection<RawResponse>(name).find(filter).toArray(),
    ),
  );
  return lists.flat();
}

/** How many response documents are stored (of one round, with `roundId`). */
export async function countStoredResponses(conn: Connection, roundId?: string): Promise<number> {
  return (await storedResponses(conn, roundId)).length;
}
