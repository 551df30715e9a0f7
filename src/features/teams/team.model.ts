import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import { MAX_EXPECTED_SIZE } from './team.types';

export type TeamDoc = {
  _id: string;
  workspaceId: string;
  name: string;
  /** Lower-cased name: unique per workspace without collation, which not every supported server has. */
  nameLower: string;
  tags: string[];
  /** How many people the team has, when the coach said so (response rates); null otherwise. */
  expectedSize: number | null;
  members?: string[];
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
    expectedSize: { type: Number, default: null, min: 1, max: MAX_EXPECTED_SIZE },
    members: { type: [String], default: undefined },
    archivedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'teams', versionKey: false },
);
teamSchema.index({ workspaceId: 1, nameLower: 1 }, { unique: true });

export function teamModel(conn: Connection) {
  return modelOn(conn, 'Team', teamSchema);
}
