import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { humanMessage, parseInput, toFieldIssues } from '../../shared/http/validate';
import type { Logger } from '../../shared/logging';
import {
  ancestors,
  comparability,
  lineageIssues,
  retiredIds,
  traceItems,
  type ItemComparison,
  type LineageNode,
  type VersionKey,
} from './questionnaire.lineage';
import type { QuestionnaireRepository } from './questionnaire.repository';
import {
  ForkBody,
  ITEM_KINDS,
  QuestionnaireDefinition,
  QuestionnaireDraft,
  type Item,
  type ItemKind,
} from './questionnaire.schemas';
import type {
  QuestionnaireDiff,
  QuestionnaireVersionInfo,
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

/** Whether any round (of any status) of the workspace uses one of these stored versions, by id. */
export type RoundsUsing = (workspaceId: string, versionIds: readonly string[]) => Promise<boolean>;

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
  slugTaken: (slug: string) =>
    `The workspace has a questionnaire "${slug}" already; choose another slug.`,
  builtin: (slug: string) =>
    `"${slug}" is a built-in questionnaire: it cannot be archived or deleted.`,
  inUse: (slug: string) =>
    `Rounds use "${slug}", so it cannot be deleted: their answers need it. Archive it instead.`,
} as const;

/** How many questionnaires a chain of forks may span when lineage is read (forks of forks). */
const MAX_FORK_DEPTH = 20;

const itemsOf = (definition: QuestionnaireDefinition) =>
  definition.sections.flatMap((s) => s.items);

const toNode = (stored: StoredQuestionnaire): LineageNode => ({
  slug: stored.slug,
  version: stored.version,
  derivedFrom: stored.derivedFrom,
  lineage: stored.lineage,
  items: itemsOf(stored.definition),
});

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
  archived = false,
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
    archived,
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
  /** Told by the rounds feature, which depends on this one (see `answerRoundsUsing`). */
  let roundsUsing: RoundsUsing | null = null;
  /** Called after a questionnaire is deleted: what else keeps data of its slug (the editor's draft). */
  const removedListeners: ((workspaceId: string, slug: string) => Promise<void>)[] = [];
  const anyRoundUses = (workspaceId: string, versions: readonly StoredQuestionnaire[]) => {
    // Without the rounds' answer nothing may be deleted: fail closed.
    if (!roundsUsing) throw new Error('no rounds feature answers whether a questionnaire is used');
    return roundsUsing(
      workspaceId,
      versions.map((v) => v.id),
    );
  };
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
      archived: stored.archivedAt !== null,
      locked: stored.lockedAt !== null,
      versions,
      latestVersion: versions[versions.length - 1] ?? stored.version,
      derivedFrom: stored.derivedFrom,
      lineage: stored.lineage,
    };
  }

  /**
   * Every version a workspace sees of `slug` and of the questionnaires it was forked from, as
   * lineage nodes (one query per questionnaire of the chain).
   */
  async function lineageNodes(
    workspaceId: string | null,
    slugs: readonly string[],
  ): Promise<LineageNode[]> {
    const nodes: LineageNode[] = [];
    const pending = [...new Set(slugs)];
    const loaded = new Set<string>();
    while (pending.length > 0 && loaded.size < MAX_FORK_DEPTH) {
      const slug = pending.shift()!;
      if (loaded.has(slug)) continue;
      loaded.add(slug);
      for (const stored of await deps.repository.listAll(workspaceId, slug)) {
        nodes.push(toNode(stored));
        if (stored.derivedFrom && !loaded.has(stored.derivedFrom.slug))
          pending.push(stored.derivedFrom.slug);
      }
    }
    return nodes;
  }

  /** Refuses a new version whose lineage is missing, misplaced or that revives a removed id. */
  async function checkLineage(
    workspaceId: string,
    previous: VersionKey | null,
    draft: Pick<QuestionnaireDraft, 'sections'>,
    lineage: NonNullable<QuestionnaireDraft['lineage']>,
  ): Promise<void> {
    const chain = previous
      ? ancestors(await lineageNodes(workspaceId, [previous.slug]), previous)
      : [];
    const issues = lineageIssues({
      previous: chain[0]?.items ?? null,
      retired: retiredIds(chain),
      sections: draft.sections,
      lineage,
    });
    if (issues.length > 0) throw new ValidationError(issues);
  }

  /**
   * Where a save of `slug` lands: the workspace's latest version (`own`), the number the saved
   * version gets, and the version it is made from (the one before it, or a fork's origin).
   */
  async function nextVersionOf(workspaceId: string, slug: string) {
    const latest = await deps.repository.find(workspaceId, slug);
    const own = latest?.workspaceId === workspaceId ? latest : null;
    const next = !own ? 1 : own.lockedAt ? own.version + 1 : own.version;
    const previous: VersionKey | null =
      next > 1 ? { slug, version: next - 1 } : (own?.derivedFrom ?? null);
    return { own, next, previous };
  }

  /** Every version of the workspace's own `slug`: 404 if none, 409 for a built-in's slug. */
  async function ownVersions(workspaceId: string, slug: string): Promise<StoredQuestionnaire[]> {
    const all = await deps.repository.listAll(workspaceId, slug);
    if (all.some((v) => v.workspaceId === workspaceId)) return all;
    if (builtinSlugs.has(slug))
      throw new ConflictError('QUESTIONNAIRE_BUILTIN', messages.builtin(slug));
    throw new NotFoundError('QUESTIONNAIRE_NOT_FOUND', messages.notFound(slug));
  }

  async function setArchived(workspaceId: string, slug: string, archived: boolean) {
    await ownVersions(workspaceId, slug);
    await deps.repository.setArchived(workspaceId, slug, archived ? deps.clock() : null);
    return getVersion(workspaceId, slug);
  }

  function requireNode(nodes: readonly LineageNode[], key: VersionKey): LineageNode {
    const node = nodes.find((n) => n.slug === key.slug && n.version === key.version);
    if (!node)
      throw new NotFoundError('QUESTIONNAIRE_NOT_FOUND', messages.notFound(key.slug, key.version));
    return node;
  }

  return {
    /** Creates the indexes and stores the built-ins: a step of the database's preparation. */
    async prepare(): Promise<void> {
      await deps.repository.init();
      for (const definition of deps.builtins) await syncBuiltin(canonical(definition));
    },

    /**
     * The latest version of each questionnaire the workspace sees. Archived ones only with
     * `includeArchived`: the library's filter; the new-round form offers none of them.
     */
    async list(
      workspaceId: string | null,
      options: { includeArchived?: boolean } = {},
    ): Promise<QuestionnaireSummary[]> {
      const latest = await deps.repository.listLatest(workspaceId);
      return latest
        .filter((q) => options.includeArchived === true || q.archivedAt === null)
        .map((q) => summarise(q.definition, q.workspaceId === null, q.archivedAt !== null))
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
      const { lineage = {}, ...draft } = parseInput(QuestionnaireDraft, input);
      if (builtinSlugs.has(draft.slug)) {
        throw new ConflictError('QUESTIONNAIRE_SLUG_RESERVED', messages.reserved(draft.slug));
      }
      const { own, next, previous } = await nextVersionOf(workspaceId, draft.slug);
      if (draft.version !== undefined && draft.version !== next) {
        throw new ConflictError(
          'QUESTIONNAIRE_VERSION_CONFLICT',
          messages.versionMismatch(draft.slug, next, draft.version),
        );
      }
      await checkLineage(workspaceId, previous, draft, lineage);
      const definition = canonical({ ...draft, version: next });
      const hash = hashOf(definition);
      let outcome: 'created' | 'updated' | 'unchanged';
      if (own?.version !== next) {
        await deps.repository.insert({
          workspaceId,
          definition,
          hash,
          createdAt: deps.clock(),
          lineage,
          // A new version of an archived questionnaire stays archived with the others.
          archivedAt: own?.archivedAt ?? null,
        });
        outcome = 'created';
      } else if (own.hash === hash && isDeepStrictEqual(own.lineage, lineage)) {
        outcome = 'unchanged';
      } else if (await deps.repository.replaceUnlocked(own.id, definition, hash, lineage)) {
        outcome = 'updated';
      } else {
        throw new ConflictError(
          'QUESTIONNAIRE_VERSION_IMMUTABLE',
          messages.lockedMeanwhile(draft.slug, next),
        );
      }
      return { questionnaire: await getVersion(workspaceId, draft.slug, next), outcome };
    },

    /**
     * The items of the version a save of `slug` would be made from (what its lineage is
     * relative to), or null for a first version that is no fork: what the editor asks about.
     */
    async previousItems(workspaceId: string, slug: string): Promise<readonly Item[] | null> {
      const { previous } = await nextVersionOf(workspaceId, slug);
      if (!previous) return null;
      return itemsOf((await readVersion(workspaceId, previous.slug, previous.version)).definition);
    },

    /**
     * Copies the latest version of a questionnaire the workspace sees (a built-in or its own)
     * into the workspace as version 1 of a new slug that remembers where it came from. Its
     * items keep their ids, so reports can compare them with the origin's.
     */
    async fork(
      workspaceId: string,
      originSlug: string,
      input: unknown,
    ): Promise<QuestionnaireVersion> {
      const { slug, title } = parseInput(ForkBody, input);
      const origin = await readVersion(workspaceId, originSlug);
      if (builtinSlugs.has(slug))
        throw new ConflictError('QUESTIONNAIRE_SLUG_RESERVED', messages.reserved(slug));
      const taken = () => new ConflictError('QUESTIONNAIRE_SLUG_TAKEN', messages.slugTaken(slug));
      if (await deps.repository.find(workspaceId, slug)) throw taken();
      const definition = canonical({ ...origin.definition, slug, title, version: 1 });
      try {
        await deps.repository.insert({
          workspaceId,
          definition,
          hash: hashOf(definition),
          createdAt: deps.clock(),
          derivedFrom: { slug: origin.slug, version: origin.version },
        });
      } catch (err) {
        // CASE: the same slug was stored at the same moment by another request.
        if (err instanceof ConflictError) throw taken();
        throw err;
      }
      return getVersion(workspaceId, slug, 1);
    },

    /** Every version of a questionnaire with its lineage, oldest first. */
    async versions(workspaceId: string | null, slug: string): Promise<QuestionnaireVersionInfo[]> {
      const all = await deps.repository.listAll(workspaceId, slug);
      if (all.length === 0)
        throw new NotFoundError('QUESTIONNAIRE_NOT_FOUND', messages.notFound(slug));
      return all.map((v) => ({
        version: v.version,
        title: v.definition.title,
        createdAt: v.createdAt,
        derivedFrom: v.derivedFrom,
        lineage: v.lineage,
        locked: v.lockedAt !== null,
      }));
    },

    /**
     * Two versions of a questionnaire item by item: added, removed, the same, reworded or
     * changed on the way from `from` to `to`, with both versions of each item.
     */
    async diff(
      workspaceId: string | null,
      slug: string,
      from: number,
      to: number,
      /** The slug of `from` when it is another: a fork's origin, which the fork's chain holds. */
      fromSlug: string = slug,
    ): Promise<QuestionnaireDiff> {
      const nodes = await lineageNodes(workspaceId, [slug]);
      const a = requireNode(nodes, { slug: fromSlug, version: from });
      const b = requireNode(nodes, { slug, version: to });
      const statuses = traceItems(nodes, a, b);
      const before = new Map(a.items.map((i) => [i.id, i]));
      const after = new Map(b.items.map((i) => [i.id, i]));
      const ids = [...after.keys(), ...[...before.keys()].filter((id) => !after.has(id))];
      return {
        slug,
        from,
        to,
        items: ids.map((id) => ({
          id,
          // CASE: a version of the slug is missing in between (never stored so): nothing known.
          status: statuses?.get(id) ?? 'changed',
          from: before.get(id) ?? null,
          to: after.get(id) ?? null,
        })),
      };
    },

    /**
     * Per item id of two versions (of one questionnaire, or a fork and its origin): whether
     * answers to it can be compared. For reports, trends and follow-ups.
     */
    async comparabilityBetween(
      workspaceId: string,
      a: VersionKey,
      b: VersionKey,
    ): Promise<Record<string, ItemComparison>> {
      const nodes = await lineageNodes(workspaceId, [a.slug, b.slug]);
      requireNode(nodes, a);
      requireNode(nodes, b);
      return comparability(nodes, a, b);
    },

    /**
     * One version as a file in the open format (valid against `jsonSchema()`), indented for a
     * person to read: to share, and what an upload of it stores again.
     */
    async exportFile(
      workspaceId: string | null,
      slug: string,
      version?: number,
    ): Promise<{ filename: string; text: string }> {
      const { definition } = await readVersion(workspaceId, slug, version);
      return {
        filename: `${definition.slug}-v${definition.version}.json`,
        text: `${JSON.stringify(definition, null, 2)}\n`,
      };
    },

    /** The rounds feature says here how to ask it whether rounds use some versions. */
    answerRoundsUsing(check: RoundsUsing): void {
      roundsUsing = check;
    },

    /** Hides a workspace questionnaire from the library and the new-round form; rounds keep it. */
    archive: (workspaceId: string, slug: string) => setArchived(workspaceId, slug, true),

    unarchive: (workspaceId: string, slug: string) => setArchived(workspaceId, slug, false),

    /** Whether a round uses a version of the workspace's own `slug` (then it cannot be deleted). */
    async inUse(workspaceId: string, slug: string): Promise<boolean> {
      return anyRoundUses(workspaceId, await ownVersions(workspaceId, slug));
    },

    /**
     * Deletes every version of a workspace questionnaire that no round uses; refuses otherwise,
     * deleting nothing.
     */
    async remove(workspaceId: string, slug: string): Promise<void> {
      const versions = await ownVersions(workspaceId, slug);
      if (await anyRoundUses(workspaceId, versions))
        throw new ConflictError('QUESTIONNAIRE_IN_USE', messages.inUse(slug));
      await deps.repository.removeAll(workspaceId, slug);
      for (const listener of removedListeners) await listener(workspaceId, slug);
    },

    /** Calls back after a questionnaire is deleted, for data kept by its slug elsewhere. */
    onRemoved(listener: (workspaceId: string, slug: string) => Promise<void>): void {
      removedListeners.push(listener);
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
