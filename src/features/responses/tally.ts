/**
 * The counts a report needs, as a tally: one number per cell (an answer's item, value, desired
 * value and dcf verdict; or a dcf vote's item, aspect and class), kept up to date on every write
 * by adding what changed. A report then reads counts whose size depends on items × scale points,
 * however many responses the round has. Pure functions; tally.repository.ts keeps them.
 */
import type { AnswerDoc, VoteDoc } from './response.model';
import type { AnswerCount, RoundCounts, VoteCount } from './response.types';

/** What of a response is counted. */
export type Counted = Readonly<{ answers: readonly AnswerDoc[]; votes?: readonly VoteDoc[] }>;

/** Counts by cell key. Keys are field names in the database, so they hold no "." and no "$". */
export type Cells = Record<string, number>;

/** A change to a tally: responses added (1, 0 or -1) and counts added per cell. */
export type TallyDelta = Readonly<{ n: number; cells: Cells }>;

/** `cells` plus `added`, cells counted down to 0 left out. */
export function addCells(cells: Readonly<Cells>, added: Readonly<Cells>): Cells {
  const sum: Cells = { ...cells };
  for (const [key, n] of Object.entries(added)) {
    const total = (sum[key] ?? 0) + n;
    if (total === 0) delete sum[key];
    else sum[key] = total;
  }
  return sum;
}

const SEP = '|';
/** Escapes a part of a key: no separator, no "." (a path in MongoDB), no "$" (an operator). */
const encode = (part: string) => encodeURIComponent(part).replace(/\./g, '%2E');
const optional = (v: number | boolean | undefined) => (v === undefined ? '' : String(v));

const answerKey = (a: AnswerDoc) =>
  ['a', encode(a.itemId), optional(a.value), optional(a.desired), optional(a.atRisk)].join(SEP);
const voteKey = (v: VoteDoc) => ['v', encode(v.itemId), encode(v.aspect), v.class].join(SEP);

/** What one response adds to its round's tally. */
export function cellsOf(response: Counted): Cells {
  const cells: Cells = {};
  const add = (key: string) => (cells[key] = (cells[key] ?? 0) + 1);
  response.answers.forEach((a) => add(answerKey(a)));
  (response.votes ?? []).forEach((v) => add(voteKey(v)));
  return cells;
}

/** What a write changes in its round's tally: `before` is null for a new response. */
export function tallyDelta(before: Counted | null, after: Counted): TallyDelta {
  const cells = cellsOf(after);
  if (before) {
    for (const [key, n] of Object.entries(cellsOf(before))) cells[key] = (cells[key] ?? 0) - n;
  }
  return {
    n: before ? 0 : 1,
    cells: Object.fromEntries(Object.entries(cells).filter(([, n]) => n !== 0)),
  };
}

const numberOrNull = (part: string) => (part === '' ? null : Number(part));
const CLASSES = new Set(['driver', 'constraint', 'float']);

/** Reads a stored tally back as counts; cells counted down to 0 by revisions are left out. */
export function toRoundCounts(n: number, cells: Readonly<Cells>): RoundCounts {
  const answers: AnswerCount[] = [];
  const votes: VoteCount[] = [];
  for (const [key, count] of Object.entries(cells)) {
    if (count === 0) continue;
    const [kind, ...parts] = key.split(SEP);
    if (kind === 'a' && parts.length === 4) {
      const [itemId, value, desired, atRisk] = parts as [string, string, string, string];
      answers.push({
        itemId: decodeURIComponent(itemId),
        value: numberOrNull(value),
        desired: numberOrNull(desired),
        atRisk: atRisk === '' ? null : atRisk === 'true',
        n: count,
      });
    } else if (kind === 'v' && parts.length === 3 && CLASSES.has(parts[2]!)) {
      const [itemId, aspect, cls] = parts as [string, string, VoteCount['class']];
      votes.push({
        itemId: decodeURIComponent(itemId),
        aspect: decodeURIComponent(aspect),
        class: cls,
        n: count,
      });
    } else {
      throw new Error(`not a tally cell: ${key}`);
    }
  }
  return { n, answers, votes };
}

/** The cells of counts made by the database (a recount), to store as a tally. */
export function toCells(counts: RoundCounts): Cells {
  const cells: Cells = {};
  for (const a of counts.answers) {
    const key = answerKey({
      itemId: a.itemId,
      ...(a.value === null ? {} : { value: a.value }),
      ...(a.desired === null ? {} : { desired: a.desired }),
      ...(a.atRisk === null ? {} : { atRisk: a.atRisk }),
    });
    cells[key] = (cells[key] ?? 0) + a.n;
  }
  for (const v of counts.votes) {
    const key = voteKey(v);
    cells[key] = (cells[key] ?? 0) + v.n;
  }
  return cells;
}
