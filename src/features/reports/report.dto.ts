import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { ActionBriefDto } from '../actions';
import { DCF_CLASSES, type Item, type QuestionnaireDefinition } from '../questionnaires';
import type { StoredAnswer } from '../responses';
import type {
  Figures,
  ItemReport,
  MaturityItemReport,
  SummarizedReport,
  TensionItemReport,
} from './report.types';
import { unknownKind } from './round-report';
import type { ReportSummary } from './report.types';

/**
 * The report's JSON, with DESIGN.md's field names so that integrators can rely on them, and
 * its schema: the OpenAPI document is generated from these zod schemas, and tests parse real
 * reports with them, so the document cannot drift from what the API sends.
 */

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toReportDto(report: SummarizedReport) {
  return {
    round: {
      ...report.round,
      openedAt: iso(report.round.openedAt),
      closedAt: iso(report.round.closedAt),
      closesAt: iso(report.round.closesAt),
    },
    team: report.team,
    questionnaire: report.questionnaire,
    n: report.n,
    expected: report.participation.expected,
    responseRate: report.participation.responseRate,
    suppressed: report.suppressed,
    summary: toSummaryDto(report.summary),
    dimensions: report.dimensions.map((d) =>
      d.suppressed
        ? { key: d.key, label: d.label, suppressed: true as const }
        : {
            key: d.key,
            label: d.label,
            suppressed: false as const,
            score: d.score,
            score100: d.score100,
          },
    ),
    items: report.items.map(toItemDto),
    discuss: report.discuss,
    actions: report.actions,
    agreedActions: report.agreedActions,
  };
}

function toSummaryDto(summary: ReportSummary) {
  return {
    ...summary,
    previous: summary.previous
      ? { ...summary.previous, openedAt: iso(summary.previous.openedAt) }
      : null,
  };
}

const discussionOf = (item: ItemReport) => ({
  discuss: item.discussion.discuss,
  discussReasons: item.discussion.reasons,
  priority: item.discussion.priority,
});

function figuresDtoOf(figures: Figures | null) {
  return figures
    ? {
        n: figures.n,
        histogram: figures.histogram,
        mean: figures.mean,
        median: figures.median,
        sd: figures.sd,
        consensus: figures.consensus,
      }
    : {};
}

function toItemDto(item: ItemReport) {
  const base = {
    itemId: item.itemId,
    number: item.number,
    dimension: item.dimension,
    title: item.title,
  };
  const suppressed = { ...base, kind: item.kind, suppressed: true as const };
  /** What a tension and a maturity item show alike above k. */
  const shownScale = (scale: TensionItemReport | MaturityItemReport) => ({
    ...base,
    kind: scale.kind,
    suppressed: false as const,
    ...figuresDtoOf(scale.figures),
    ...discussionOf(scale),
    cantSay: scale.cantSay ?? 0,
  });
  switch (item.kind) {
    case 'practice':
      // A practice item can have its ratings below k and still show comments (DESIGN.md).
      if (item.suppressed && item.comments.length === 0 && item.answered === null) {
        return suppressed;
      }
      return {
        ...base,
        kind: item.kind,
        suppressed: item.suppressed,
        ratingQuestion: item.ratingQuestion,
        ...figuresDtoOf(item.figures),
        ...(item.answered === null ? {} : { answered: item.answered }),
        ...discussionOf(item),
        comments: item.comments,
      };
    case 'tension':
      if (item.suppressed) return suppressed;
      return {
        ...shownScale(item),
        lean: item.lean,
        desiredMean: item.desired?.mean ?? null,
        desiredHistogram: item.desired?.histogram ?? null,
        gap: item.gap,
        comments: item.comments,
      };
    case 'maturity':
      if (item.suppressed) return suppressed;
      return { ...shownScale(item), score100: item.score100 };
    case 'dcf':
      if (item.suppressed) return suppressed;
      return {
        ...base,
        kind: item.kind,
        suppressed: false as const,
        n: item.n,
        ...discussionOf(item),
        atRiskShare: item.atRiskShare,
        aspects: item.aspects,
      };
    default:
      return unknownKind(item);
  }
}

const Share = z.number().min(0).max(1);
const Lean = z
  .enum(['left', 'balanced', 'right', 'split'])
  .describe(
    '`split` when at least a third of the answers lie on each side of the middle, whatever the mean; otherwise left below 3.5, right above 4.5, else balanced',
  );
const Reason = z
  .enum(['disagreement', 'gap'])
  .describe(
    '`disagreement`: consensus below 0.6, or for a dcf item an aspect on which no class has 60 % of the votes; `gap`: a tension whose |gap| is 1 or more',
  );
const ItemBase = {
  itemId: z.string(),
  number: z.number().int().min(1),
  dimension: z.string(),
  title: z.string(),
};
const Figures = {
  n: z.number().int().min(0),
  histogram: z.array(z.number().int().min(0)).describe('Counts of the answers 1..K'),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  sd: z.number().nullable(),
  consensus: z.number().min(0).max(1).nullable().describe('Tastle & Wierman (2007), 0..1'),
};
const Discussion = {
  discuss: z.boolean().describe('On the discuss list'),
  discussReasons: z.array(Reason),
  priority: z
    .number()
    .nullable()
    .describe(
      '(1 − consensus) + |gap| / (K − 1) on the discuss list (dcf: 1 − the largest class share on its least agreed aspect); null off it',
    ),
};

const SuppressedItemDto = z
  .object({
    ...ItemBase,
    kind: z.enum(['tension', 'maturity', 'practice', 'dcf']),
    suppressed: z
      .literal(true)
      .describe(
        'Fewer than k answered (anonymous round): no figures; a practice item has this shape only when it has nothing to show at all',
      ),
  })
  .strict();
const Comment = z
  .object({ text: z.string(), name: z.string().optional().describe('Named rounds only') })
  .strict();
const CantSay = z
  .number()
  .int()
  .min(0)
  .describe('How many answered "can\'t say": not in n, the histogram or any figure');
const TensionItemDto = z
  .object({
    ...ItemBase,
    kind: z.literal('tension'),
    suppressed: z.literal(false),
    ...Figures,
    ...Discussion,
    cantSay: CantSay,
    lean: Lean.nullable(),
    desiredMean: z.number().nullable(),
    desiredHistogram: z.array(z.number().int().min(0)).nullable(),
    gap: z.number().nullable().describe('desiredMean − mean'),
    comments: z.array(Comment).describe('Why people answered so (the optional "why?"), shuffled'),
  })
  .strict();
const MaturityItemDto = z
  .object({
    ...ItemBase,
    kind: z.literal('maturity'),
    suppressed: z.literal(false),
    ...Figures,
    ...Discussion,
    cantSay: CantSay,
    score100: z.number().nullable(),
  })
  .strict();

const PracticeItemDto = z
  .object({
    ...ItemBase,
    kind: z.literal('practice'),
    suppressed: z
      .boolean()
      .describe('The ratings (or the whole round) are below k: no n and no figures'),
    ratingQuestion: z.string().nullable(),
    n: Figures.n.optional().describe('The number of ratings (Σ histogram), from k on'),
    histogram: Figures.histogram.optional(),
    mean: Figures.mean.optional(),
    median: Figures.median.optional(),
    sd: Figures.sd.optional(),
    consensus: Figures.consensus.optional(),
    answered: z
      .number()
      .int()
      .optional()
      .describe('Respondents who gave a rating, a text or both; shown from k on'),
    ...Discussion,
    comments: z.array(Comment).describe('From k responses to the round on, in no time order'),
  })
  .strict();
const DcfItemDto = z
  .object({
    ...ItemBase,
    kind: z.literal('dcf'),
    suppressed: z.literal(false),
    n: z.number().int().describe('Respondents who classified the aspects'),
    ...Discussion,
    atRiskShare: Share.nullable(),
    aspects: z.array(
      z
        .object({
          key: z.string(),
          label: z.string(),
          n: z.number().int(),
          driver: Share.nullable(),
          constraint: Share.nullable(),
          float: Share.nullable(),
          disputed: z.boolean().describe('No class has 60 % of the votes'),
        })
        .strict(),
    ),
  })
  .strict();

const DiscussEntryDto = z
  .object({
    itemId: z.string(),
    number: z.number().int(),
    kind: z.enum(['tension', 'maturity', 'practice', 'dcf']),
    title: z.string(),
    priority: z.number(),
    reasons: z.array(Reason),
    consensus: z.number().nullable().describe('Null for a dcf item'),
    disputed: z.array(z.string()).describe('dcf: the aspects respondents disagree on'),
    gap: z.number().nullable(),
    lean: Lean.nullable(),
    left: z.string().nullable().describe('Tensions: the left pole'),
    right: z.string().nullable().describe('Tensions: the right pole'),
  })
  .strict();

const ItemFiguresDto = z
  .object({
    n: z.number().int(),
    mean: z.number(),
    consensus: z.number().nullable(),
    lean: Lean.nullable(),
  })
  .strict();

const FollowUpDto = z
  .object({
    ...ActionBriefDto.shape,
    comparison: z
      .enum(['compared', 'not-comparable', 'below-k', 'no-figures', 'not-asked'])
      .nullable()
      .describe(
        "`compared`: figures of the item in both rounds, whose meaning is the same in both (unchanged, or only reworded by a new questionnaire version); `not-comparable`: a questionnaire version between the two rounds changed the item's meaning (lineage `changed`) or its scale, so there is no before/after figure; `below-k`: too few answers on one side, so no figure on either; `no-figures`: the item has none (a dcf item, a practice item without a rating); `not-asked`: this round does not ask the item; null for an action without an item",
      ),
    before: ItemFiguresDto.nullable().describe('The item in the round the action came from'),
    after: ItemFiguresDto.nullable().describe('The item in this round'),
    change: z.number().nullable().describe('after.mean − before.mean'),
    towardsTarget: z
      .boolean()
      .nullable()
      .describe('Tensions with a target pole: whether the mean moved towards it'),
  })
  .strict();

const Expected = z
  .number()
  .int()
  .nullable()
  .describe('The team’s expected size; null when unknown');
const ResponseRate = z
  .number()
  .nullable()
  .describe('n / expected (above 1 when more answered than expected); null when unknown');

const SummaryDto = z
  .object({
    n: z.number().int(),
    expected: Expected,
    responseRate: ResponseRate,
    minGroupSize: z.number().int(),
    belowK: z.boolean(),
    dimensions: z.array(
      z.object({ key: z.string(), label: z.string(), score100: z.number() }).strict(),
    ),
    tensions: z.array(
      z
        .object({
          itemId: z.string(),
          number: z.number().int(),
          title: z.string(),
          left: z.string(),
          right: z.string(),
          mean: z.number(),
          desiredMean: z.number().nullable(),
          lean: Lean.nullable(),
        })
        .strict(),
    ),
    ratings: z.array(
      z
        .object({
          itemId: z.string(),
          number: z.number().int(),
          title: z.string(),
          mean: z.number(),
        })
        .strict(),
    ),
    dcf: z.array(
      z
        .object({
          itemId: z.string(),
          title: z.string(),
          atRiskShare: Share,
          respondents: z.number().int(),
          disputed: z.array(z.string()),
        })
        .strict(),
    ),
    discuss: z.array(DiscussEntryDto).max(5).describe('The first five of the discuss list'),
    moreToDiscuss: z.number().int(),
    previous: z
      .object({
        roundId: z.string(),
        title: z.string(),
        openedAt: z.iso.datetime().nullable(),
        n: z.number().int(),
        suppressed: z.boolean(),
        version: z.number().int().describe("Its questionnaire's version"),
        versionChanged: z.boolean(),
      })
      .strict()
      .nullable()
      .describe("The team's previous round of this questionnaire"),
    changes: z
      .array(
        z
          .object({
            itemId: z.string(),
            number: z.number().int(),
            kind: z.enum(['tension', 'maturity', 'practice', 'dcf']),
            title: z.string(),
            before: z.number(),
            after: z.number(),
            change: z.number(),
            points: z.number().int(),
            leanBefore: Lean.nullable(),
            leanAfter: Lean.nullable(),
            left: z.string().nullable(),
            right: z.string().nullable(),
          })
          .strict(),
      )
      .max(5)
      .describe('The largest moves of item means since the previous round, largest first'),
    notComparable: z
      .number()
      .int()
      .describe(
        'How many items with figures in both rounds are left out of `changes` because a questionnaire version between them changed their meaning (questionnaire lineage: `changed`; a `reworded` item is compared)',
      ),
    notComparableItems: z
      .array(z.object({ itemId: z.string(), number: z.number().int(), title: z.string() }).strict())
      .describe('Those items: "not comparable" with the previous round'),
    openActions: z
      .array(ActionBriefDto)
      .describe(
        'The team’s open actions from any round, most urgent first; those of the previous round are in the report’s `actions` (followed up) and not repeated here',
      ),
  })
  .strict();

export const RoundReportDto = z
  .object({
    round: z
      .object({
        id: z.string(),
        title: z.string(),
        status: z.enum(['draft', 'open', 'closed']),
        anonymity: z.enum(['anonymous', 'named']),
        minGroupSize: z.number().int(),
        openedAt: z.iso.datetime().nullable(),
        closedAt: z.iso.datetime().nullable(),
        closesAt: z.iso.datetime().nullable(),
      })
      .strict(),
    team: z.object({ id: z.string(), name: z.string() }).strict(),
    questionnaire: z
      .object({ slug: z.string(), version: z.number().int(), title: z.string() })
      .strict(),
    n: z.number().int(),
    expected: Expected,
    responseRate: ResponseRate,
    suppressed: z.boolean().describe('Anonymous round with fewer than k responses: no figures'),
    summary: SummaryDto,
    dimensions: z.array(
      z.union([
        z.object({ key: z.string(), label: z.string(), suppressed: z.literal(true) }).strict(),
        z
          .object({
            key: z.string(),
            label: z.string(),
            suppressed: z.literal(false),
            score: z.number().nullable().describe('Mean of its maturity items’ means'),
            score100: z.number().nullable(),
          })
          .strict(),
      ]),
    ),
    items: z.array(
      z.union([SuppressedItemDto, TensionItemDto, MaturityItemDto, PracticeItemDto, DcfItemDto]),
    ),
    discuss: z
      .array(DiscussEntryDto)
      .describe('The discuss list: highest priority first, ties in questionnaire order'),
    actions: z
      .array(FollowUpDto)
      .describe(
        'Actions agreed since the team’s previous round of this questionnaire, each with its item’s figures then (`before`) and now (`after`)',
      ),
    agreedActions: z.array(ActionBriefDto).describe('Actions agreed from this round'),
  })
  .strict()
  .register(apiSchemas, { id: 'RoundReport', description: 'The report' });

/**
 * One answer of the JSON export, in the words the API receives it (POST /r/{token}): `value`
 * is a point on a tension's or maturity item's scale, a practice item's rating is `rating`, a
 * tension's "why?" is `comment`, a dcf item's `classes` name each aspect's class. What storage
 * adds for counting (a dcf answer's at-risk flag) is not part of it.
 */
const ExportedAnswerDto = z
  .object({
    itemId: z.string(),
    value: z.number().int().optional().describe('Tensions and maturity: the point on the scale'),
    cantSay: z.literal(true).optional().describe('Tensions and maturity: "can\'t say"'),
    desired: z.number().int().optional().describe('Tensions: where the team should be'),
    comment: z.string().optional().describe('Tensions: why, in a few words'),
    text: z.string().optional().describe('Practice: the answer'),
    rating: z.number().int().optional().describe('Practice: the 1–5 rating'),
    classes: z
      .record(z.string(), z.enum(DCF_CLASSES))
      .optional()
      .describe('dcf: the class of each aspect, by key'),
  })
  .strict();

export const RoundExportDto = z
  .object({
    report: RoundReportDto.describe('The report, as GET /rounds/{roundId}/report answers it'),
    responses: z
      .array(
        z
          .object({
            name: z.string(),
            role: z.string().describe('Empty when none was given'),
            day: z.string().describe('The day of the answer (no time is stored)'),
            answers: z.array(ExportedAnswerDto),
          })
          .strict(),
      )
      .optional()
      .describe(
        'Named rounds only: one entry per person, by name; an anonymous round’s export has none',
      ),
  })
  .strict()
  .register(apiSchemas, { id: 'RoundExport', description: 'A JSON attachment' });

type ExportedAnswer = z.output<typeof ExportedAnswerDto>;

/** A stored answer in the API's words (see ExportedAnswerDto); null for an item not asked. */
function toExportedAnswer(item: Item | undefined, a: StoredAnswer): ExportedAnswer | null {
  const onScale = a.cantSay ? { cantSay: true as const } : { value: a.value };
  switch (item?.kind) {
    case undefined:
      return null;
    case 'tension':
      return {
        itemId: a.itemId,
        ...onScale,
        ...(a.desired === undefined ? {} : { desired: a.desired }),
        ...(a.text ? { comment: a.text } : {}),
      };
    case 'maturity':
      return { itemId: a.itemId, ...onScale };
    case 'practice':
      return {
        itemId: a.itemId,
        ...(a.text ? { text: a.text } : {}),
        ...(a.value === undefined ? {} : { rating: a.value }),
      };
    case 'dcf':
      return {
        itemId: a.itemId,
        classes: Object.fromEntries((a.classes ?? []).map((c) => [c.aspect, c.class])),
      };
    default:
      return unknownKind(item);
  }
}

/** The JSON export: the report, and a named round's answers person by person. */
export function toExportDto(
  report: SummarizedReport,
  definition: QuestionnaireDefinition,
  responses:
    readonly { answers: readonly StoredAnswer[]; name: string; role: string; day: string }[] | null,
) {
  const items = new Map(definition.sections.flatMap((s) => s.items).map((i) => [i.id, i]));
  return {
    report: toReportDto(report),
    ...(responses
      ? {
          responses: responses.map((r) => ({
            name: r.name,
            role: r.role,
            day: r.day,
            answers: r.answers.flatMap((a) => toExportedAnswer(items.get(a.itemId), a) ?? []),
          })),
        }
      : {}),
  };
}

const DimensionCellDto = z.union([
  z.object({ key: z.string(), suppressed: z.literal(true) }).strict(),
  z
    .object({
      key: z.string(),
      suppressed: z.literal(false),
      score100: z.number().nullable().describe('Maturity dimensions: the score on 0–100'),
      consensus: z.number().nullable().describe('The mean consensus of its items'),
    })
    .strict(),
]);

const TensionPositionDto = z
  .object({
    itemId: z.string(),
    mean: z.number().nullable(),
    desiredMean: z.number().nullable(),
    lean: Lean.nullable(),
  })
  .strict();

export const ComparisonDto = z
  .object({
    teams: z.array(
      z
        .object({
          roundId: z.string().nullable().describe('null when names are hidden'),
          team: z.string().describe('The team’s name, or "Team A", "Team B", … when hidden'),
          n: z.number().int(),
          suppressed: z.boolean(),
          dimensions: z.array(DimensionCellDto),
          tensions: z.array(TensionPositionDto),
          notComparable: z
            .array(z.string())
            .describe(
              'Ids of this round’s items whose meaning is not the same as in the reference round (the one of the newest questionnaire version): its questionnaire version, or a fork, changed their meaning (questionnaire lineage: `changed`), so their figures are not comparable with the others’. Reworded items stay comparable',
            ),
        })
        .strict(),
    ),
  })
  .strict()
  .register(apiSchemas, { id: 'Comparison', description: 'The comparison' });

export const TrendDto = z
  .object({
    team: z.object({ id: z.string(), name: z.string() }).strict(),
    questionnaire: z.string().nullable().describe('The slug shown; null without rounds'),
    rounds: z.array(
      z
        .object({
          roundId: z.string(),
          title: z.string(),
          version: z.number().int(),
          openedAt: z.iso.datetime().nullable(),
          n: z.number().int(),
          suppressed: z.boolean(),
          dimensions: z.array(DimensionCellDto),
          tensions: z.array(TensionPositionDto),
          notComparable: z
            .array(z.string())
            .describe(
              'Ids of the items whose meaning changed since the round before (questionnaire lineage: `changed`, or no shared history): their figures here are not comparable with that round’s, so a trend line breaks here. Reworded items stay comparable. Empty for the first round',
            ),
          actions: z.array(ActionBriefDto).describe('The actions agreed after this round'),
        })
        .strict(),
    ),
  })
  .strict()
  .register(apiSchemas, { id: 'Trend', description: 'The trend' });
