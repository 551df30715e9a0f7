import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { humanMessage, parseInput, toFieldIssues } from '../../shared/http/validate';
import type { Logger } from '../../shared/logging';
import type { QuestionnaireRepository } from './questionnaire.repository';
import {
  ITEM_KINDS,
  QuestionnaireDefinition,
  QuestionnaireDraft,
  type ItemKind,
} from './questionnaire.schemas';
import type {
  QuestionnaireRef,
  QuestionnaireSummary,
  QuestionnaireVersion,
  StoredQuestionnaire,
  ValidationResult,
} from './questionnaire.types';

export type QuestionnaireServiceDeps = Readonly<{
  repository: QuestionnaireRepository;
  builtins: readonly QuestionnaireDefinition[];
  clock: () => Date;
  logger: Logger;
}>;

const messages = {
  notFound: (slug: string, version?: number) =>
    version === undefined
      ? `There is no questionnaire "${slug}".`
      : `Questionnaire "${slug}" has no version ${version}.`,
  reserved: (slug: string) =>
    `"${slug}" is the slug of a built-in questionnaire; choose another slug.`,
  versionMismatch: (slug: string, expected: number, given: number) =>
    `The next version of "${slug}" is ${expected}, not ${given}. Reload it and apply your change again.`,
  lockedMeanwhile: (slug: string, version: number) =>
    `Version ${version} of "${slug}" was just taken into use by a round; save again to create version ${version + 1}.`,
} as const;

/** The canonical form of a definition: parsed (defaults filled) and without the editor hint. */
function canonical(definition: QuestionnaireDefinition): QuestionnaireDefinition {
  const { $schema: _hint, ...rest } = definition;
  return rest;
}

function hashOf(definition: QuestionnaireDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

export function summarise(
  definition: QuestionnaireDefinition,
  builtin: boolean,
): QuestionnaireSummary {
  const itemCounts = Object.fromEntries(ITEM_KINDS.map((kind) => [kind, 0])) as Record<
    ItemKind,
    number
  >;
  let itemCount = 0;
  for (const section of definition.sections) {
    for (const item of section.items) {
      itemCounts[item.kind] += 1;
      itemCount += 1;
    }
  }
  return {
    slug: definition.slug,
    version: definition.version,
    title: definition.title,
    summary: definition.summary,
    language: definition.language,
    builtin,
    itemCount,
    itemCounts,
    dimensions: definition.dimensions.map((d) => ({ key: d.key, label: d.label })),
  };
}

/** Locked questionnaire versions kept in memory (see `lockedVersions`). */
const LOCKED_CACHE_SIZE = 1000;

/**
 * The questionnaire library: built-in questionnaires (files, synchronised into the database so
 * every version a round ever used stays readable) and workspace-owned ones, in one storage.
 * `workspaceId` null reads only the built-ins.
 */
export function createQuestionnaireService(deps: QuestionnaireServiceDeps) {
  const builtinSlugs = new Set(deps.builtins.map((d) => d.slug));
  /**
   * Definitions of locked versions by id. A locked version never changes (its rounds rely on
   * that), so any instance may keep it: a respondent's page then costs one query less. Bounded:
   * past LOCKED_CACHE_SIZE the oldest entry goes.
   */
  const lockedVersions = new Map<string, QuestionnaireDefinition>();
  const rememberLocked = (id: string, definition: QuestionnaireDefinition) => {
    const oldest = lockedVersions.keys().next();
    if (lockedVersions.size >= LOCKED_CACHE_SIZE && !oldest.done)
      lockedVersions.delete(oldest.value);
    lockedVersions.set(id, definition);
  };

  async function syncBuiltin(definition: QuestionnaireDefinition): Promise<void> {
    const hash = hashOf(definition);
    const stored = await deps.repository.find(null, definition.slug, definition.version);
    if (!stored) {
      try {
        await deps.repository.insert({
          workspaceId: null,
          definition,
          hash,
          createdAt: deps.clock(),
        });
      } catch (err) {
        // CASE: another instance stored it at the same moment.
        if (!(err instanceof ConflictError)) throw err;
      }
      return;
    }
    if (stored.hash === hash) return;
    if (!(await deps.repository.replaceUnlocked(stored.id, definition, hash))) {
      deps.logger.error(
        { slug: definition.slug, version: definition.version },
        'built-in questionnaire changed although rounds use this version; bump its version. Keeping the stored one.',
      );
    }
  }

  async function readVersion(
    workspaceId: string | null,
    slug: string,
    version?: number,
  ): Promise<StoredQuestionnaire> {
    const stored = await deps.repository.find(workspaceId, slug, version);
    if (!stored)
      throw new NotFoundError('QUESTIONNAIRE_NOT_FOUND', messages.notFound(slug, version));
    return stored;
  }

  async function getVersion(
    workspaceId: string | null,
    slug: string,
    version?: number,
  ): Promise<QuestionnaireVersion> {
    const stored = await readVersion(workspaceId, slug, version);
    const versions = await deps.repository.listVersions(workspaceId, slug);
    return {
      definition: stored.definition,
      builtin: stored.workspaceId === null,
      locked: stored.lockedAt !== null,
      versions,
      latestVersion: versions[versions.length - 1] ?? stored.version,
    };
  }

  return {
    /** Creates the indexes and stores the built-ins: a step of the database's preparation. */
    async prepare(): Promise<void> {
      await deps.repository.init();
      for (const definition of deps.builtins) await syncBuiltin(canonical(definition));
    },

    async list(workspaceId: string | null): Promise<QuestionnaireSummary[]> {
      const latest = await deps.repository.listLatest(workspaceId);
      return latest
        .map((q) => summarise(q.definition, q.workspaceId === null))
        .sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.title.localeCompare(b.title));
    },

    get: getVersion,

    /**
     * Takes a version into use for a round: it must be visible to the workspace, and from now on
     * it never changes (a later edit becomes a new version). The latest version when omitted.
     */
    async useVersion(
      workspaceId: string,
      slug: string,
      version?: number,
    ): Promise<QuestionnaireRef> {
      const stored = await readVersion(workspaceId, slug, version);
      if (!stored.lockedAt) await deps.repository.lock(stored.id, deps.clock());
      return {
        id: stored.id,
        slug: stored.slug,
        version: stored.version,
        title: stored.definition.title,
      };
    },

    /** The definition a round uses, by the stored version's id (which a round keeps). */
    async byId(id: string): Promise<QuestionnaireDefinition> {
      const cached = lockedVersions.get(id);
      if (cached) return cached;
      const stored = await deps.repository.findById(id);
      if (!stored)
        throw new NotFoundError(
          'QUESTIONNAIRE_NOT_FOUND',
          'The questionnaire of this round is missing.',
        );
      if (stored.lockedAt) rememberLocked(id, stored.definition);
      return stored.definition;
    },

    /** Never throws for a bad definition: answers with every problem and its path. */
    validate(input: unknown): ValidationResult {
      const result = QuestionnaireDefinition.safeParse(input, { error: humanMessage });
      return result.success
        ? { valid: true, errors: [] }
        : { valid: false, errors: toFieldIssues(result.error.issues) };
    },

    /**
     * Stores a workspace's questionnaire. A new slug starts at version 1. A changed definition
     * becomes the next version, unless the latest version is not used by any round yet: then it
     * is edited in place. An unchanged definition changes nothing.
     */
    async saveVersion(
      workspaceId: string,
      input: unknown,
    ): Promise<{
      questionnaire: QuestionnaireVersion;
      outcome: 'created' | 'updated' | 'unchanged';
    }> {
      const draft = parseInput(QuestionnaireDraft, input);
      if (builtinSlugs.has(draft.slug)) {
        throw new ConflictError('QUESTIONNAIRE_SLUG_RESERVED', messages.reserved(draft.slug));
      }
      const latest = await deps.repository.find(workspaceId, draft.slug);
      const own = latest?.workspaceId === workspaceId ? latest : null;
      const next = !own ? 1 : own.lockedAt ? own.version + 1 : own.version;
      if (draft.version !== undefined && draft.version !== next) {
        throw new ConflictError(
          'QUESTIONNAIRE_VERSION_CONFLICT',
          messages.versionMismatch(draft.slug, next, draft.version),
        );
      }
      const definition = canonical({ ...draft, version: next });
      const hash = hashOf(definition);
      let outcome: 'created' | 'updated' | 'unchanged';
      if (own?.version !== next) {
        await deps.repository.insert({ workspaceId, definition, hash, createdAt: deps.clock() });
        outcome = 'created';
      } else if (own.hash === hash) {
        outcome = 'unchanged';
      } else if (await deps.repository.replaceUnlocked(own.id, definition, hash)) {
        outcome = 'updated';
      } else {
        throw new ConflictError(
          'QUESTIONNAIRE_VERSION_IMMUTABLE',
          messages.lockedMeanwhile(draft.slug, next),
        );
      }
      return { questionnaire: await getVersion(workspaceId, draft.slug, next), outcome };
    },

    /** The JSON Schema of the format, for editors and the API (JSON Schema 2020-12). */
    jsonSchema(): Record<string, unknown> {
      return jsonSchema;
    },
  };
}

const jsonSchema = {
  ...z.toJSONSchema(QuestionnaireDefinition, { io: 'input' }),
  title: 'Teamlens questionnaire',
} as Record<string, unknown>;

/** The JSON Schema as the text of docs/questionnaire.schema.json. */
export function questionnaireJsonSchemaText(): string {
  return `${JSON.stringify(jsonSchema, null, 2)}\n`;
}

export type QuestionnaireService = ReturnType<typeof createQuestionnaireService>;
