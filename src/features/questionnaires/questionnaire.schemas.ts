import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { multiLineText, singleLineText } from '../../shared/text';

/**
 * The questionnaire format: the single source of truth for built-in files, uploads, API bodies,
 * the JSON Schema served to authors and the OpenAPI document. Every object is strict (unknown
 * keys are errors: typos surface, and operator keys such as `$gt` cannot slip through) and
 * every text has a length limit, so a definition can never grow pages or documents without bound.
 */

export const TENSION_SCALE_POINTS = 7;
/** A tension's optional "why?" answer: a few words, not an essay. */
export const TENSION_COMMENT_MAX = 500;
export const PRACTICE_RATING_POINTS = 5;
export const MAX_ITEMS = 120;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEY = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** Titles and labels are one line; the texts around them may have several. */
const line = (max: number) => singleLineText({ max, required: 'Must not be empty' });
const text = (max: number) => multiLineText({ max, required: 'Must not be empty' });
const key = (what: string) =>
  z
    .string()
    .min(1)
    .max(48)
    .regex(KEY, `A ${what} uses lower-case letters, digits, "-" or "_", e.g. "work-flow"`);

export const Slug = z
  .string()
  .min(2)
  .max(64)
  .regex(SLUG, 'A slug uses lower-case letters, digits and single hyphens, e.g. "team-tensions"')
  .describe('URL-safe name of the questionnaire, the same for all its versions');

export const Pole = z
  .object({
    label: line(60).describe('Short name of this way of working'),
    good: text(300).describe('What this pole gives a team when it leans this way'),
    risk: text(300).describe('What this pole costs a team when it leans too far'),
  })
  .strict()
  .describe('One side of a tension: neither only positive nor only negative');

const itemBase = {
  id: key('item id').describe(
    'Stable id of the item: keep it across versions so trends can follow the item',
  ),
  dimension: key('dimension key').describe('Key of the dimension the item belongs to'),
};

export const TensionItem = z
  .object({
    kind: z.literal('tension'),
    ...itemBase,
    prompt: text(300).describe('The question placed above the scale'),
    left: Pole,
    right: Pole,
    askDesired: z
      .boolean()
      .default(false)
      .describe('Also ask "where should we be?" on the same scale'),
  })
  .strict()
  .describe(
    `Answered on a ${TENSION_SCALE_POINTS}-point scale: 1 = fully the left pole, 4 = balanced, 7 = fully the right pole`,
  );

export const MaturityLevel = z
  .object({
    label: line(40).describe('Name of the level, e.g. "Emerging"'),
    description: text(300).describe('What a team at this level recognises in itself'),
  })
  .strict();

export const MaturityItem = z
  .object({
    kind: z.literal('maturity'),
    ...itemBase,
    statement: text(300).describe('The capability being assessed'),
    levels: z
      .array(MaturityLevel)
      .min(2, 'A maturity item needs at least 2 levels')
      .max(7, 'A maturity item has at most 7 levels')
      .describe('Ordered from the lowest (answer 1) to the highest level'),
  })
  .strict();

export const PracticeRating = z
  .object({
    question: text(200).describe('What the 1–5 rating asks'),
    lowLabel: line(60).describe('Meaning of 1'),
    highLabel: line(60).describe('Meaning of 5'),
  })
  .strict();

export const PracticeItem = z
  .object({
    kind: z.literal('practice'),
    ...itemBase,
    prompt: text(500).describe('A reflection prompt, answered in free text'),
    hint: text(300).optional().describe('Help shown below the prompt'),
    rating: PracticeRating.optional().describe(
      `Adds a 1–${PRACTICE_RATING_POINTS} rating of how well the team does this today`,
    ),
    maxLength: z
      .number()
      .int()
      .min(50)
      .max(5000)
      .default(1000)
      .describe('Longest accepted answer, in characters'),
    required: z.boolean().default(false).describe('Whether an empty answer is refused'),
  })
  .strict();

export const DCF_CLASSES = ['driver', 'constraint', 'float'] as const;

export const DcfAspect = z
  .object({
    key: key('aspect key'),
    label: line(60),
    description: text(300).optional(),
  })
  .strict();

export const DcfItem = z
  .object({
    kind: z.literal('dcf'),
    ...itemBase,
    prompt: text(300).describe('The effort the respondent classifies the aspects of'),
    guidance: text(1000).describe('How to tell drivers, constraints and floats apart'),
    aspects: z
      .array(DcfAspect)
      .min(3, 'A dcf item needs at least 3 aspects')
      .max(12, 'A dcf item has at most 12 aspects'),
  })
  .strict()
  .describe('Each aspect is classified as driver, constraint or float');

export const ITEM_KINDS = ['tension', 'maturity', 'practice', 'dcf'] as const;

export const Item = z.discriminatedUnion(
  'kind',
  [TensionItem, MaturityItem, PracticeItem, DcfItem],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `kind must be one of: ${ITEM_KINDS.join(', ')}` : undefined,
  },
);

export const Section = z
  .object({
    id: key('section id'),
    title: line(120),
    intro: text(1000).optional(),
    items: z.array(Item).min(1, 'A section needs at least one item'),
  })
  .strict();

export const Dimension = z
  .object({
    key: key('dimension key'),
    label: line(80),
    description: text(500),
  })
  .strict();

const definitionShape = {
  $schema: z.string().max(500).optional().describe('Editor hint: the URL of this JSON Schema'),
  slug: Slug,
  version: z.number().int().min(1).max(100000).describe('Version number, starting at 1'),
  title: line(120),
  summary: text(500),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'A language tag such as "en" or "en-GB"')
    .default('en'),
  dimensions: z.array(Dimension).min(1, 'Declare at least one dimension').max(30),
  sections: z.array(Section).min(1, 'A questionnaire needs at least one section').max(30),
};

/**
 * Checks that need the whole definition: unique ids and keys, dimensions that exist and are
 * used, and a bounded number of items. Zod runs them once the structure itself is sound.
 */
function checkReferences(
  def: { dimensions: { key: string }[]; sections: z.output<typeof Section>[] },
  ctx: z.RefinementCtx,
): void {
  const duplicate = (path: (string | number)[], what: string, value: string) =>
    ctx.addIssue({ code: 'custom', path, message: `Duplicate ${what} "${value}"` });

  const dimensionKeys = new Set<string>();
  def.dimensions.forEach((d, i) => {
    if (dimensionKeys.has(d.key)) duplicate(['dimensions', i, 'key'], 'dimension key', d.key);
    dimensionKeys.add(d.key);
  });

  const usedDimensions = new Set<string>();
  const sectionIds = new Set<string>();
  const itemIds = new Set<string>();
  let itemCount = 0;
  def.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) duplicate(['sections', s, 'id'], 'section id', section.id);
    sectionIds.add(section.id);
    section.items.forEach((item, i) => {
      itemCount += 1;
      const at = ['sections', s, 'items', i];
      if (itemIds.has(item.id)) duplicate([...at, 'id'], 'item id', item.id);
      itemIds.add(item.id);
      if (!dimensionKeys.has(item.dimension)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'dimension'],
          message: `Unknown dimension "${item.dimension}": declare it under "dimensions"`,
        });
      }
      usedDimensions.add(item.dimension);
      if (item.kind === 'dcf') {
        const aspectKeys = new Set<string>();
        item.aspects.forEach((aspect, a) => {
          if (aspectKeys.has(aspect.key))
            duplicate([...at, 'aspects', a, 'key'], 'aspect key', aspect.key);
          aspectKeys.add(aspect.key);
        });
      }
    });
  });
  def.dimensions.forEach((d, i) => {
    if (!usedDimensions.has(d.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions', i, 'key'],
        message: `Dimension "${d.key}" has no items`,
      });
    }
  });
  if (itemCount > MAX_ITEMS) {
    ctx.addIssue({
      code: 'custom',
      path: ['sections'],
      message: `A questionnaire has at most ${MAX_ITEMS} items (this one has ${itemCount})`,
    });
  }
}

export const QuestionnaireDefinition = z
  .object(definitionShape)
  .strict()
  .superRefine(checkReferences)
  .describe('A Teamlens questionnaire definition')
  .register(apiSchemas, { id: 'QuestionnaireDefinition' });

/**
 * What an author sends to create a version: the definition, with `version` optional. Without
 * it the server picks the next version; with it, it must be the version the server would pick
 * (so two editors cannot silently overwrite each other).
 */
const itemId = key('item id');

/** What an edit did to an item: its meaning (answers no longer comparable) or only its words. */
export const ITEM_CHANGES = ['reworded', 'changed'] as const;
export type ItemChange = (typeof ITEM_CHANGES)[number];

/** Per edited item: whether its meaning changed or only its words (see docs/questionnaires.md). */
export const Lineage = z
  .record(itemId, z.enum(ITEM_CHANGES))
  .describe(
    'Per item edited since the previous version (same id, other content): `changed` when its meaning changed (answers are no longer comparable), `reworded` when only its words did',
  );

export const VersionKey = z
  .object({ slug: Slug, version: z.number().int().min(1) })
  .strict()
  .describe('A version of a questionnaire');

export const QuestionnaireDraft = z
  .object({
    ...definitionShape,
    version: definitionShape.version.optional(),
    lineage: Lineage.optional().describe(
      'Required for every item edited since the previous version (for a fork’s first version: since its origin); refused for any other item',
    ),
  })
  .strict()
  .superRefine(checkReferences)
  .describe(
    'A questionnaire definition to store; `version` is optional, `lineage` says what each edit means',
  )
  .register(apiSchemas, { id: 'QuestionnaireDraft' });

export const QuestionnaireParams = z
  .object({ slug: Slug.describe('The questionnaire slug') })
  .strict();

export const QuestionnaireQuery = z
  .object({
    version: z.coerce
      .number({ error: 'version must be a whole number' })
      .int('version must be a whole number')
      .min(1, 'version must be 1 or more')
      .max(100000, 'version must be at most 100000')
      .optional()
      .describe('A version number; the latest when omitted'),
  })
  .strict();

export const LibraryQuery = z
  .object({
    archived: z
      .enum(['true', 'false'])
      .optional()
      .describe('`true` to list archived questionnaires too'),
  })
  .strict();

export const ForkBody = z
  .object({
    slug: Slug.describe('The slug of the new questionnaire in the workspace'),
    title: line(120).describe('Its title'),
  })
  .strict()
  .register(apiSchemas, { id: 'QuestionnaireFork', description: 'The fork to make' });

export const DiffQuery = z
  .object({
    from: QuestionnaireQuery.shape.version.unwrap().describe('The older version'),
    to: QuestionnaireQuery.shape.version.unwrap().describe('The newer version'),
  })
  .strict();

export type QuestionnaireDefinition = z.output<typeof QuestionnaireDefinition>;
export type QuestionnaireDraft = z.output<typeof QuestionnaireDraft>;
export type Item = z.output<typeof Item>;

/** Whether an item must be answered: every scale and classification; a prompt when it says so. */
export const isRequired = (item: Item): boolean => item.kind !== 'practice' || item.required;
export type ItemKind = Item['kind'];
export type TensionItem = z.output<typeof TensionItem>;
export type MaturityItem = z.output<typeof MaturityItem>;
export type PracticeItem = z.output<typeof PracticeItem>;
export type DcfItem = z.output<typeof DcfItem>;
export type Section = z.output<typeof Section>;
export type Dimension = z.output<typeof Dimension>;
export type Pole = z.output<typeof Pole>;

/* Response shapes: they document the API (OpenAPI) and the tests check real responses against them. */

const ItemCounts = z.object(
  Object.fromEntries(ITEM_KINDS.map((kind) => [kind, z.number().int().min(0)])) as Record<
    ItemKind,
    z.ZodNumber
  >,
);

export const QuestionnaireSummaryDto = z
  .object({
    slug: Slug,
    version: z.number().int(),
    title: z.string(),
    summary: z.string(),
    language: z.string(),
    builtin: z.boolean().describe('Shipped with Teamlens (true) or owned by the workspace'),
    archived: z
      .boolean()
      .describe('The workspace archived it: listed only with `archived=true`; its rounds keep it'),
    itemCount: z.number().int(),
    itemCounts: ItemCounts,
    dimensions: z.array(z.object({ key: z.string(), label: z.string() }).strict()),
  })
  .strict()
  .describe('The latest version of a questionnaire, for the library');

export const QuestionnaireListDto = z
  .object({ items: z.array(QuestionnaireSummaryDto) })
  .strict()
  .register(apiSchemas, { id: 'QuestionnaireList', description: 'The library' });

const DerivedFrom = VersionKey.nullable().describe(
  'The questionnaire version this one was forked from (a fork’s first version only)',
);

export const QuestionnaireVersionDto = z
  .object({
    definition: QuestionnaireDefinition,
    builtin: z.boolean(),
    archived: z.boolean().describe('The workspace archived it: no new round can use it'),
    locked: z.boolean().describe('A round uses this version: it can no longer change'),
    versions: z.array(z.number().int()).describe('All versions, oldest first'),
    latestVersion: z.number().int(),
    derivedFrom: DerivedFrom,
    lineage: Lineage.describe('What this version did to each item it edited'),
  })
  .strict()
  .register(apiSchemas, {
    id: 'QuestionnaireVersion',
    description: 'The definition with its version history',
  });

/** What POST /questionnaires answers: the stored version and what happened to it. */
export const SavedQuestionnaireDto = QuestionnaireVersionDto.extend({
  outcome: z.enum(['created', 'updated', 'unchanged']),
})
  .strict()
  .register(apiSchemas, { id: 'SavedQuestionnaire' });

export const ValidationResultDto = z
  .object({
    valid: z.boolean(),
    errors: z.array(z.object({ path: z.string(), message: z.string() }).strict()),
  })
  .strict()
  .describe('Every problem of the definition, each with its dotted path')
  .register(apiSchemas, { id: 'ValidationResult', description: 'The verdict' });

export const QuestionnaireVersionListDto = z
  .object({
    slug: Slug,
    versions: z.array(
      z
        .object({
          version: z.number().int(),
          title: z.string(),
          createdAt: z.iso.datetime(),
          derivedFrom: DerivedFrom,
          lineage: Lineage,
          locked: z.boolean().describe('A round uses this version'),
        })
        .strict(),
    ),
  })
  .strict()
  .register(apiSchemas, {
    id: 'QuestionnaireVersionList',
    description: 'Every version, oldest first',
  });

export const QuestionnaireDiffDto = z
  .object({
    slug: Slug,
    from: z.number().int(),
    to: z.number().int(),
    items: z.array(
      z
        .object({
          id: z.string(),
          status: z.enum(['added', 'removed', 'same', ...ITEM_CHANGES]),
          from: Item.nullable().describe('The item in `from`; null when added'),
          to: Item.nullable().describe('The item in `to`; null when removed'),
        })
        .strict(),
    ),
  })
  .strict()
  .register(apiSchemas, {
    id: 'QuestionnaireDiff',
    description:
      'Per item: `added`, `removed`, `same`, `reworded` (only words changed on the way) or `changed` (its meaning changed on some step), with both versions of it; items of `to` in order, then the removed ones',
  });
