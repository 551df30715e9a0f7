import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../../shared/db/models';

export type QuestionnaireDoc = {
  _id: string;
  workspaceId: string | null;
  slug: string;
  version: number;
  /** Validated by the zod schema before it gets here; stored as plain JSON. */
  definition: Record<string, unknown>;
  hash: string;
  lockedAt: Date | null;
  createdAt: Date;
};

const questionnaireSchema = new Schema<QuestionnaireDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, default: null },
    slug: { type: String, required: true, maxlength: 64 },
    version: { type: Number, required: true, min: 1 },
    definition: { type: Schema.Types.Mixed, required: true },
    hash: { type: String, required: true },
    lockedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'questionnaires', versionKey: false, minimize: false },
);
// One document per (scope, slug, version); also serves "all versions of a slug" lookups.
questionnaireSchema.index({ workspaceId: 1, slug: 1, version: 1 }, { unique: true });

export function questionnaireModel(conn: Connection): Model<QuestionnaireDoc> {
  return modelOn(conn, 'Questionnaire', questionnaireSchema);
}
