import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import { ACTION_STATUSES, POLES, type ActionStatus, type Pole } from './action.types';

export type ActionDoc = {
  _id: string;
  workspaceId: string;
  teamId: string;
  sourceRoundId: string;
  itemId: string | null;
  pole: Pole | null;
  title: string;
  owner: string | null;
  dueOn: string | null;
  status: ActionStatus;
  notes: string;
  createdAt: Date;
  updatedAt: Date;
};

const actionSchema = new Schema<ActionDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    teamId: { type: String, required: true },
    sourceRoundId: { type: String, required: true },
    itemId: { type: String, default: null, maxlength: 64 },
    pole: { type: String, enum: [...POLES, null], default: null },
    title: { type: String, required: true, maxlength: 200 },
    owner: { type: String, default: null, maxlength: 80 },
    dueOn: { type: String, default: null, match: /^\d{4}-\d{2}-\d{2}$/ },
    status: { type: String, enum: ACTION_STATUSES, required: true },
    notes: { type: String, default: '', maxlength: 2000 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'actions', versionKey: false },
);
actionSchema.index({ workspaceId: 1, teamId: 1 });

export function actionModel(conn: Connection) {
  return modelOn(conn, 'Action', actionSchema);
}
