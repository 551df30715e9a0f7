import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import {
  ANONYMITY_MODES,
  ROUND_ACCESS,
  ROUND_STATUSES,
  type Anonymity,
  type RoundAccess,
  type RoundStatus,
} from './round.types';

export type RoundDoc = {
  _id: string;
  workspaceId: string;
  teamId: string;
  /**
   * The team's name, kept here when the team is renamed, so that a respondent's page needs the
   * round alone. Absent on rounds created before it was kept: those look the team up.
   */
  teamName?: string;
  /** How many addresses were invited by e-mail (invitations feature); absent: none. */
  invited?: number;
  questionnaire: { id: string; slug: string; version: number; title: string };
  title: string;
  anonymity: Anonymity;
  /** Absent on rounds from before access was a setting: those take answers by link. */
  access?: RoundAccess;
  minGroupSize: number;
  status: RoundStatus;
  closesAt: Date | null;
  linkToken: string;
  createdAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
};

const roundSchema = new Schema<RoundDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    teamId: { type: String, required: true },
    teamName: { type: String },
    invited: { type: Number },
    questionnaire: {
      id: { type: String, required: true },
      slug: { type: String, required: true },
      version: { type: Number, required: true },
      title: { type: String, required: true },
    },
    title: { type: String, required: true, maxlength: 120 },
    anonymity: { type: String, enum: ANONYMITY_MODES, required: true },
    access: { type: String, enum: ROUND_ACCESS },
    minGroupSize: { type: Number, required: true, min: 1 },
    status: { type: String, enum: ROUND_STATUSES, required: true },
    closesAt: { type: Date, default: null },
    linkToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
  },
  { collection: 'rounds', versionKey: false },
);
roundSchema.index({ workspaceId: 1, teamId: 1, createdAt: -1 });
roundSchema.index({ linkToken: 1 }, { unique: true });

export function roundModel(conn: Connection) {
  return modelOn(conn, 'Round', roundSchema);
}
