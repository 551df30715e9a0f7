import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';

/**
 * A round's team results link. Its `_id` is the id its token signs (shared/signed-links.ts):
 * random, so it tells nothing of when it was made or of other links; deleting the record
 * revokes the link. One per round at most.
 */
export type ResultsLinkDoc = {
  _id: string;
  workspaceId: string;
  roundId: string;
  createdAt: Date;
  /** The coach who made it (a user id). */
  createdBy: string;
};

const resultsLinkSchema = new Schema<ResultsLinkDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    roundId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'results_links', versionKey: false },
);
resultsLinkSchema.index({ roundId: 1 }, { unique: true });

export function resultsLinkModel(conn: Connection) {
  return modelOn(conn, 'ResultsLink', resultsLinkSchema);
}
