import { z } from 'zod';
import type { Item, QuestionnaireDefinition } from '../questionnaires';
import type { StoredAnswer as AnswerDoc } from '../responses';
import { toCsv, type Cell } from './csv';
import type { ItemReport, RoundReport } from './report.types';

/** The report's JSON, with DESIGN.md's field names, so integrators can rely on them. */
export function toReportDto(report: RoundReport) {
  return {
    round: {
      ...report.round,
      openedAt: report.round.openedAt?.toISOString() ?? null,
      closedAt: report.round.closedAt?.toISOString() ?? null,
      closesAt: report.round.closesAt?.toISOString() ?? null,
    },
    team: report.team,
    questionnaire: report.questionnaire,
    n: report.n,
    suppressed: report.suppressed,
    dimensions: report.dimensions.map((d) =>
      d.suppressed
        ? { key: d.key, label: d.label, suppressed: true }
        : { key: d.key, label: d.label, suppressed: false, score: d.score, score100: d.score100 },
    ),
    items: report.items.map(toItemDto),
    discuss: report.discuss,
  };
}

function toItemDto(item: ItemReport) {
  const base = {
    itemId: item.itemId,
    kind: item.kind,
    number: item.number,
    dimension: item.dimension,
    title: item.title,
  };
  if (item.suppressed && !(item.kind === 'practice' && item.practice?.comments.length)) {
    return { ...base, suppressed: true };
  }
  const f = item.figures;
  return {
    ...base,
    suppressed: item.suppressed,
    n: item.n,
    ...(f
      ? {
          histogram: f.histogram,
          mean: f.mean,
          median: f.median,
          sd: f.sd,
          consensus: f.consensus,
          discuss: f.discuss,
        }
      : {}),
    ...(item.tension
      ? {
          lean: item.tension.lean,
          desiredMean: item.tension.desired?.mean ?? null,
          desiredHistogram: item.tension.desired?.histogram ?? null,
          gap: item.tension.gap,
        }
      : {}),
    ...(item.maturity ? { score100: item.maturity.score100 } : {}),
    ...(item.practice ? { comments: item.practice.comments } : {}),
    ...(item.dcf ? { atRiskShare: item.dcf.atRiskShare, aspects: item.dcf.aspects } : {}),
  };
}

export const RoundReportDto = z
  .object({
    round: z.record(z.string(), z.unknown()),
    team: z.object({ id: z.string(), name: z.string() }),
    questionnaire: z.object({ slug: z.string(), version: z.number(), title: z.string() }),
    n: z.number().int(),
    suppressed: z.boolean().describe('Anonymous round with fewer than k responses: no figures'),
    dimensions: z.array(z.record(z.string(), z.unknown())).describe('key, label, score, score100'),
    items: z
      .array(z.record(z.string(), z.unknown()))
      .describe(
        'itemId, kind, n, histogram, mean, median, sd, consensus, discuss; tensions also lean, desiredMean, gap; dcf atRiskShare and aspects; `suppressed: true` with no figures where n < k',
      ),
    discuss: z.array(
      z.object({
        itemId: z.string(),
        number: z.number(),
        title: z.string(),
        consensus: z.number(),
      }),
    ),
  })
  .strict();

const ITEM_HEADER = [
  'number',
  'itemId',
  'kind',
  'dimension',
  'title',
  'suppressed',
  'n',
  'mean',
  'median',
  'sd',
  'consensus',
  'discuss',
  'lean',
  'desiredMean',
  'gap',
  'atRiskShare',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'h7',
];

/** Item statistics, one row per item, with the same numbers as the JSON. */
export function itemsCsv(report: RoundReport): string {
  return toCsv(
    ITEM_HEADER,
    report.items.map((item): Cell[] => {
      const f = item.figures;
      const histogram = Array.from({ length: 7 }, (_, i) => f?.histogram[i] ?? null);
      return [
        item.number,
        item.itemId,
        item.kind,
        item.dimension,
        item.title,
        item.suppressed,
        item.suppressed ? null : item.n,
        f?.mean,
        f?.median,
        f?.sd,
        f?.consensus,
        f?.discuss,
        item.tension?.lean,
        item.tension?.desired?.mean,
        item.tension?.gap,
        item.dcf?.atRiskShare,
        ...histogram,
      ];
    }),
  );
}

/** The raw answers: one row per response, one column per answer field of each item. */
export function responsesCsv(
  definition: QuestionnaireDefinition,
  rows: readonly { answers: readonly AnswerDoc[]; name?: string; role?: string; day?: string }[],
  named: boolean,
): string {
  const items: Item[] = definition.sections.flatMap((s) => s.items);
  const columns = items.flatMap(
    (item): { header: string; read: (a: AnswerDoc | undefined) => Cell }[] => {
      switch (item.kind) {
        case 'tension':
          return [
            { header: `${item.id}.value`, read: (a) => a?.value },
            ...(item.askDesired
              ? [{ header: `${item.id}.desired`, read: (a: AnswerDoc | undefined) => a?.desired }]
              : []),
          ];
        case 'maturity':
          return [{ header: `${item.id}.value`, read: (a) => a?.value }];
        case 'practice':
          return [
            { header: `${item.id}.text`, read: (a) => a?.text },
            ...(item.rating
              ? [{ header: `${item.id}.rating`, read: (a: AnswerDoc | undefined) => a?.value }]
              : []),
          ];
        case 'dcf':
          return item.aspects.map((aspect) => ({
            header: `${item.id}.${aspect.key}`,
            read: (a: AnswerDoc | undefined) =>
              a?.classes?.find((c) => c.aspect === aspect.key)?.class,
          }));
      }
    },
  );
  const header = [...(named ? ['name', 'role', 'day'] : []), ...columns.map((c) => c.header)];
  return toCsv(
    header,
    rows.map((row) => {
      const byItem = new Map(row.answers.map((a) => [a.itemId, a]));
      return [
        ...(named ? [row.name, row.role, row.day] : []),
        ...columns.map((c) => c.read(byItem.get(c.header.split('.')[0] ?? ''))),
      ];
    }),
  );
}
