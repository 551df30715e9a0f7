import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { randomId } from '../../shared/ids';
import { resultsLinkModel, type ResultsLinkDoc } from './results.model';

export type ResultsLink = Readonly<{
  id: string;
  workspaceId: string;
  roundId: string;
  createdAt: Date;
}>;

const toResultsLink = (d: ResultsLinkDoc): ResultsLink => ({
  id: d._id,
  workspaceId: d.workspaceId,
  roundId: d.roundId,
  createdAt: d.createdAt,
});

export function createResultsLinkRepository(conn: Connection) {
  const model = resultsLinkModel(conn);
  const ofRound = async (workspaceId: string, roundId: string) => {
    const doc = await model.findOne({ workspaceId, roundId }).lean<ResultsLinkDoc>();
    return doc ? toResultsLink(doc) : null;
  };
  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    /** The round's link, if it has one. */
    ofRound,

    /** The link with this id, whatever its workspace (the token names no workspace). */
    async byId(id: string): Promise<ResultsLink | null> {
      const doc = await model.findById(id).lean<ResultsLinkDoc>();
      return doc ? toResultsLink(doc) : null;
    },

    /**
     * A new link for the round; `created: false` with the one it has already (made before, or by
     * a second click at the same moment: the unique round keeps one).
     */
    async create(
      input: { workspaceId: string; roundId: string; createdBy: string },
      now: Date,
    ): Promise<{ link: ResultsLink; created: boolean }> {
      const existing = await ofRound(input.workspaceId, input.roundId);
      if (existing) return { link: existing, created: false };
      const doc: ResultsLinkDoc = { _id: randomId(), ...input, createdAt: now };
      try {
        await model.create(doc);
        return { link: toResultsLink(doc), created: true };
      } catch (err) {
        const made = isDuplicateKeyError(err)
          ? await ofRound(input.workspaceId, input.roundId)
          : null;
        if (!made) throw err;
        return { link: made, created: false };
      }
    },

    /** Deletes the round's link: its token stops working at once. */
    async remove(workspaceId: string, roundId: string): Promise<void> {
      await model.deleteOne({ workspaceId, roundId });
    },
  };
}

export type ResultsLinkRepository = ReturnType<typeof createResultsLinkRepository>;
