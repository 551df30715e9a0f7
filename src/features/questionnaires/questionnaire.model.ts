import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn } from '../../shared/db/models';
import type { Lineage, VersionKey } from './questionnaire.lineage';

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
  /** A fork's origin, on its first version. Absent in documents from before lineage. */
  derivedFrom?: VersionKey | null;
  /** Per edited item id: `reworded` or `changed`. Absent in documents from before lineage. */
  lineage?: Lineage;
  /**
   * Set on every version of a workspace questionnaire the coach archived: hidden from the
   * library and the new-round form, still read by its rounds. Absent in older documents.
   */
  archivedAt?: Date | null;
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
    derivedFrom: {
      type: new Schema({ slug: String, version: Number }, { _id: false }),
      default: null,
    },
    // Item ids are keys (lower-case letters, digits, "-" and "_"): safe as field names.
    lineage: { type: Schema.Types.Mixed, default: {} },
    archivedAt: { type: Date, default: null },
  },
  { collection: 'questionnaires', versionKey: false, minimize: false },
);
// One document per (scope, slug, version); also serves "all versions of a slug" lookups.
questionnaireSchema.index({ workspaceId: 1, slug: 1, version: 1 }, { unique: true });

export function questionnaireModel(conn: Connection): Model<QuestionnaireDoc> {
  return modelOn(conn, 'Questionnaire', questionnaireSchema);
}
