import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../../shared/db/models';

/** An editor's unpublished draft of a workspace questionnaire: one per slug and workspace. */
export type QuestionnaireDraftDoc = {
  _id: string;
  workspaceId: string;
  slug: string;
  /** The editor's state (see questionnaire.editor.ts): texts as typed, possibly incomplete. */
  draft: Record<string, unknown>;
  updatedAt: Date;
};

const draftSchema = new Schema<QuestionnaireDraftDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    slug: { type: String, required: true, maxlength: 64 },
    draft: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'questionnaire_drafts', versionKey: false, minimize: false },
);
draftSchema.index({ workspaceId: 1, slug: 1 }, { unique: true });

export function questionnaireDraftModel(conn: Connection): Model<QuestionnaireDraftDoc> {
  return modelOn(conn, 'QuestionnaireDraft', draftSchema);
}
