import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';

export type TeamDoc = {
  _id: string;
  workspaceId: string;
  name: string;
  /** Lower-cased name: unique per workspace without collation (FerretDB has none). */
  nameLower: string;
  tags: string[];
  archivedAt: Date | null;
  createdAt: Date;
};

const teamSchema = new Schema<TeamDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 80 },
    nameLower: { type: String, required: true, maxlength: 80 },
    tags: { type: [String], default: [] },
    archivedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'teams', versionKey: false },
);
teamSchema.index({ workspaceId: 1, nameLower: 1 }, { unique: true });

export function teamModel(conn: Connection) {
  return modelOn(conn, 'Team', teamSchema);
}
