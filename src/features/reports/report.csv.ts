import type { Item, QuestionnaireDefinition } from '../questionnaires';
import type { StoredAnswer as AnswerDoc } from '../responses';
import { toCsv, type Cell } from '../../shared/csv';
import type { ItemReport, RoundReport } from './report.types';
import { figuresOf, titleOf, unknownKind } from './round-report';

/**
 * The report's CSV exports, beside its JSON (report.dto.ts): item statistics with the same
 * numbers as the JSON, and a named round's raw answers. The format itself (quoting, formula
 * neutralising, the byte-order mark) is shared/csv.ts.
 */

/**
 * The columns of the items CSV. Ids and codes (`itemId`, `dimension`, `lean`) stay for
 * scripts; beside them the questionnaire's own words (`title`, `dimensionTitle`, `leanedTo`),
 * so the file reads without the questionnaire at hand. h1…h7: how many answered 1…7.
 */
const ITEM_HEADER = [
  'number',
  'itemId',
  'kind',
  'dimension',
  'dimensionTitle',
  'title',
  'suppressed',
  'n',
  'mean',
  'median',
  'sd',
  'consensus',
  'discuss',
  'discussReasons',
  'priority',
  'lean',
  'leanedTo',
  'desiredMean',
  'gap',
  'answered',
  'cantSay',
  'atRiskShare',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'h7',
];

/**
 * Numbers as a person reads them in a spreadsheet: at most three decimals (no
 * 0.09999999999999964), enough to tell apart every figure the report shows with two.
 */
const rounded = (value: number | null | undefined) =>
  typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;

/** The cells of `answered`, `cantSay` and `atRiskShare`: each kind fills its own. */
function kindCells(item: ItemReport): [Cell, Cell, Cell] {
  switch (item.kind) {
    case 'tension':
    case 'maturity':
      return [null, item.cantSay, null];
    case 'practice':
      return [item.answered, null, undefined];
    case 'dcf':
      return [null, null, rounded(item.atRiskShare)];
    default:
      return unknownKind(item);
  }
}

/** Item statistics, one row per item, with the same numbers as the JSON, rounded. */
export function itemsCsv(report: RoundReport): string {
  const dimensionTitles = new Map(report.dimensions.map((d) => [d.key, d.label]));
  return toCsv(
    ITEM_HEADER,
    report.items.map((item): Cell[] => {
      const f = figuresOf(item);
      const histogram = Array.from({ length: 7 }, (_, i) => f?.histogram[i] ?? null);
      const tension = item.kind === 'tension' ? item : null;
      const lean = tension?.lean;
      return [
        item.number,
        item.itemId,
        item.kind,
        item.dimension,
        dimensionTitles.get(item.dimension),
        item.title,
        item.suppressed,
        item.suppressed ? null : item.n,
        rounded(f?.mean),
        rounded(f?.median),
        rounded(f?.sd),
        rounded(f?.consensus),
        f ? item.discussion.discuss : null,
        item.discussion.reasons.join(' '),
        rounded(item.discussion.priority),
        lean,
        // The pole's label where the team leans to one; balanced and split lean to none.
        lean === 'left' || lean === 'right' ? tension?.[lean].label : null,
        rounded(tension?.desired?.mean),
        rounded(tension?.gap),
        ...kindCells(item),
        ...histogram,
      ];
    }),
  );
}

/** A scale answer's cell: its point, or "can't say". */
const valueOrCantSay = (a: AnswerDoc | undefined): Cell => (a?.cantSay ? "can't say" : a?.value);

/** Where one answer on a tension's 1–7 scale leans: a pole's label, or the middle. */
function poleOf(item: Extract<Item, { kind: 'tension' }>, a: AnswerDoc | undefined): Cell {
  if (typeof a?.value !== 'number' || a.cantSay) return null;
  return a.value < 4 ? item.left.label : a.value > 4 ? item.right.label : 'middle';
}

/**
 * The raw answers of a named round: one row per response, one column per answer field of each
 * item, headed `<itemId>.<field>: <the item's text>` (the part before the colon is stable, for
 * scripts; the dimension's title is in the items CSV); a tension's `.pole` says which pole each
 * answer leans to, by its label. Anonymous rounds have no such export (DESIGN.md): a row would
 * hold one person's answers together and link the report's shuffled comments again.
 */
export function responsesCsv(
  definition: QuestionnaireDefinition,
  rows: readonly { answers: readonly AnswerDoc[]; name: string; role: string; day: string }[],
): string {
  const items: Item[] = definition.sections.flatMap((s) => s.items);
  const columns = items.flatMap(
    (item): { header: string; read: (a: AnswerDoc | undefined) => Cell }[] => {
      switch (item.kind) {
        case 'tension':
          return [
            { header: `${item.id}.value`, read: valueOrCantSay },
            { header: `${item.id}.pole`, read: (a: AnswerDoc | undefined) => poleOf(item, a) },
            ...(item.askDesired
              ? [{ header: `${item.id}.desired`, read: (a: AnswerDoc | undefined) => a?.desired }]
              : []),
            { header: `${item.id}.comment`, read: (a: AnswerDoc | undefined) => a?.text },
          ];
        case 'maturity':
          return [{ header: `${item.id}.value`, read: valueOrCantSay }];
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
  const textOf = new Map(items.map((item) => [item.id, titleOf(item)]));
  const header = [
    'name',
    'role',
    'day',
    ...columns.map((c) => `${c.header}: ${textOf.get(c.header.split('.')[0] ?? '') ?? ''}`),
  ];
  return toCsv(
    header,
    rows.map((row) => {
      const byItem = new Map(row.answers.map((a) => [a.itemId, a]));
      return [
        row.name,
        row.role,
        row.day,
        ...columns.map((c) => c.read(byItem.get(c.header.split('.')[0] ?? ''))),
      ];
    }),
  );
}
