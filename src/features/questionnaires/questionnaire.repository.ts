import { type Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { ConflictError } from '../../shared/errors';
import { randomId } from '../../shared/ids';
import { questionnaireModel, type QuestionnaireDoc } from './questionnaire.model';
import type { QuestionnaireDefinition } from './questionnaire.schemas';
import type { StoredQuestionnaire } from './questionnaire.types';
import type { Lineage, VersionKey } from './questionnaire.lineage';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';

/** Scopes a reader may see: the built-ins (null) and, when given, one workspace's own. */
function scopes(workspaceId: string | null): (string | null)[] {
  return workspaceId === null ? [null] : [null, workspaceId];
}

function toStored(doc: QuestionnaireDoc): StoredQuestionnaire {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    slug: doc.slug,
    version: doc.version,
    definition: doc.definition as QuestionnaireDefinition,
    hash: doc.hash,
    lockedAt: doc.lockedAt,
    createdAt: doc.createdAt,
    derivedFrom: doc.derivedFrom
      ? { slug: doc.derivedFrom.slug, version: doc.derivedFrom.version }
      : null,
    lineage: doc.lineage ?? {},
    archivedAt: doc.archivedAt ?? null,
  };
}

export function createQuestionnaireRepository(conn: Connection) {
  const model = questionnaireModel(conn);

  return {
    /** Creates the indexes (and with them the collection); harmless when they exist. */
    async init(): Promise<void> {
      await model.createIndexes();
    },

    async insert(input: {
      workspaceId: string | null;
      definition: QuestionnaireDefinition;
      hash: string;
      createdAt: Date;
      derivedFrom?: VersionKey | null;
      lineage?: Lineage;
      archivedAt?: Date | null;
    }): Promise<StoredQuestionnaire> {
      const doc: QuestionnaireDoc = {
        _id: randomId(),
        workspaceId: input.workspaceId,
        slug: input.definition.slug,
        version: input.definition.version,
        definition: input.definition,
        hash: input.hash,
        lockedAt: null,
        createdAt: input.createdAt,
        derivedFrom: input.derivedFrom ?? null,
        lineage: input.lineage ?? {},
        archivedAt: input.archivedAt ?? null,
      };
      try {
        await model.create(doc);
      } catch (err) {
        if (isDuplicateKeyError(err)) {
          throw new ConflictError(
            'QUESTIONNAIRE_VERSION_EXISTS',
            `Version ${input.definition.version} of "${input.definition.slug}" exists already`,
          );
        }
        throw err;
      }
      return toStored(doc);
    },

    /**
     * Replaces the content of a version only while no round uses it; `lineage` with it when
     * given (a built-in keeps what it has).
     */
    async replaceUnlocked(
      id: string,
      definition: QuestionnaireDefinition,
      hash: string,
      lineage?: Lineage,
    ): Promise<boolean> {
      const result = await model.updateOne(
        { _id: id, lockedAt: null },
        { $set: { definition, hash, ...(lineage ? { lineage } : {}) } },
      );
      return result.matchedCount === 1;
    },

    async lock(id: string, at: Date): Promise<void> {
      await model.updateOne({ _id: id, lockedAt: null }, { $set: { lockedAt: at } });
    },

    /**
     * Archives (a date) or restores (null) every version of a workspace's own questionnaire;
     * false when the workspace has none of that slug.
     */
    async setArchived(workspaceId: string, slug: string, at: Date | null): Promise<boolean> {
      const result = await model.updateMany({ workspaceId, slug }, { $set: { archivedAt: at } });
      return result.matchedCount > 0;
    },

    /** Deletes every version of a workspace's own questionnaire. */
    async removeAll(workspaceId: string, slug: string): Promise<void> {
      await model.deleteMany({ workspaceId, slug });
    },

    async findById(id: string): Promise<StoredQuestionnaire | null> {
      const doc = await model.findById(id).lean<QuestionnaireDoc>();
      return doc ? toStored(doc) : null;
    },

    /** One version, or the latest when `version` is omitted; null when there is none. */
    async find(
      workspaceId: string | null,
      slug: string,
      version?: number,
    ): Promise<StoredQuestionnaire | null> {
      const filter = {
        workspaceId: anyOf(scopes(workspaceId)),
        slug,
        ...(version === undefined ? {} : { version }),
      };
      const doc = await model.findOne(filter).sort({ version: -1 }).lean<QuestionnaireDoc>();
      return doc ? toStored(doc) : null;
    },

    /** Every version of a slug a reader may see, oldest first. */
    async listAll(workspaceId: string | null, slug: string): Promise<StoredQuestionnaire[]> {
      const docs = await model
        .find({ workspaceId: anyOf(scopes(workspaceId)), slug })
        .sort({ version: 1 })
        .lean<QuestionnaireDoc[]>();
      return docs.map(toStored);
    },

    async listVersions(workspaceId: string | null, slug: string): Promise<number[]> {
      const docs = await model
        .find({ workspaceId: anyOf(scopes(workspaceId)), slug }, { version: 1 })
        .sort({ version: 1 })
        .lean<Pick<QuestionnaireDoc, 'version'>[]>();
      return docs.map((d) => d.version);
    },

    /**
     * The latest version of every questionnaire a reader may see. The latest per slug is found
     * in code from a light projection: not every supported server has `$max`/`$first` accumulators.
     */
    async listLatest(workspaceId: string | null): Promise<StoredQuestionnaire[]> {
      const heads = await model
        .find({ workspaceId: anyOf(scopes(workspaceId)) }, { slug: 1, version: 1 })
        .lean<Pick<QuestionnaireDoc, '_id' | 'slug' | 'version'>[]>();
      const latest = new Map<string, { id: string; version: number }>();
      for (const head of heads) {
        const seen = latest.get(head.slug);
        if (!seen || head.version > seen.version)
          latest.set(head.slug, { id: head._id, version: head.version });
      }
      if (latest.size === 0) return [];
      const docs = await model
        .find({ _id: anyOf([...latest.values()].map((l) => l.id)) })
        .sort({ slug: 1 })
        .lean<QuestionnaireDoc[]>();
      return docs.map(toStored);
    },
  };
}

export type QuestionnaireRepository = ReturnType<typeof createQuestionnaireRepository>;
