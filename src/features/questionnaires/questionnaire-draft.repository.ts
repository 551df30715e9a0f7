import type { Connection } from 'mongoose';
import { randomId } from '../../shared/ids';
import { questionnaireDraftModel, type QuestionnaireDraftDoc } from './questionnaire-draft.model';

export type StoredDraft = Readonly<{ draft: Record<string, unknown>; updatedAt: Date }>;

/** Editor drafts: saved with "Save draft", read when the editor opens, gone once published. */
export function createQuestionnaireDraftRepository(conn: Connection) {
  const model = questionnaireDraftModel(conn);
  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    async find(workspaceId: string, slug: string): Promise<StoredDraft | null> {
      const doc = await model.findOne({ workspaceId, slug }).lean<QuestionnaireDraftDoc>();
      return doc ? { draft: doc.draft, updatedAt: doc.updatedAt } : null;
    },

    /** Stores the draft of `slug`, replacing the one before. */
    async save(
      workspaceId: string,
      slug: string,
      draft: Record<string, unknown>,
      at: Date,
    ): Promise<void> {
      await model.updateOne(
        { workspaceId, slug },
        { $set: { draft, updatedAt: at }, $setOnInsert: { _id: randomId() } },
        { upsert: true },
      );
    },

    async remove(workspaceId: string, slug: string): Promise<void> {
      await model.deleteOne({ workspaceId, slug });
    },
  };
}

export type QuestionnaireDraftRepository = ReturnType<typeof createQuestionnaireDraftRepository>;
