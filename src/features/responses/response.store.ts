import type { CapabilityProbe } from '../../shared/db/capabilities';
import type { Connection } from '../../shared/db/connect';
import type { Preparation } from '../../shared/db/preparation';
import { onceUntilSuccess } from '../../shared/once';
import {
  createResponseRepository,
  layoutFor,
  type ResponseRepository,
} from './response.repository';

/**
 * The one port to stored responses: it saves, replaces, finds by key, counts, reads texts and
 * exports, and chooses where responses live from what the database server can do, so services
 * never see a layout and no write can bypass what the layout needs.
 */
export type ResponseStore = Readonly<
  Pick<
    ResponseRepository,
    'save' | 'replace' | 'findByKey' | 'counts' | 'sizes' | 'texts' | 'all' | 'flush'
  >
>;

/**
 * The responses store of an app. The layout follows the server: `shared` (one collection, its
 * index on round and key) where queries use indexes, `per-round` (a collection per round) where
 * they do not (FerretDB 1.x reads a whole collection for any filter but `_id`). Preparing the
 * database moves responses stored in the other layout (a dump restored on another server) and
 * removes the counts older versions kept.
 */
export function createResponseStore(deps: {
  conn: Connection;
  capabilities: CapabilityProbe;
  preparation: Pick<Preparation, 'add'>;
}): ResponseStore {
  let created: ResponseRepository | null = null;
  const chosen = onceUntilSuccess(
    async () =>
      (created = createResponseRepository(deps.conn, layoutFor(await deps.capabilities()))),
  );
  deps.preparation.add({
    name: 'responses',
    run: async () => (await chosen()).prepare(),
  });
  // Requests reach the store through the readiness gate (shared/http/readiness.ts), after the
  // preparation above: a round's responses are where its layout keeps them.
  const repository = chosen;
  return {
    save: async (input) => (await repository()).save(input),
    replace: async (roundId, key, content) => (await repository()).replace(roundId, key, content),
    findByKey: async (roundId, key) => (await repository()).findByKey(roundId, key),
    counts: async (roundIds) => (await repository()).counts(roundIds),
    sizes: async (roundIds) => (await repository()).sizes(roundIds),
    texts: async (roundIds) => (await repository()).texts(roundIds),
    all: async (roundId) => (await repository()).all(roundId),
    // Nothing to write for a store never used (the database may not even have answered).
    flush: async () => created?.flush(),
  };
}
