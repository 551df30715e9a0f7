import { type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';

/**
 * The exports read without the questionnaire at hand: beside the stable ids, the item's text,
 * the dimension's title and the label of the pole leaned to; still formula-safe.
 */
let db: TestDatabase, api: Api;

beforeAll(async () => {
  ({ db, api } = await openCoachApp());
  await api.questionnaire(
    aDefinition({
      slug: 'pulse',
      version: undefined,
      // A title a spreadsheet would run as a formula, were it not neutralised.
      dimensions: [{ key: 'ways', label: '=Ways of working', description: 'How we work.' }],
      sections: [{ id: 'main', title: 'Main', items: [aTensionItem()] }],
    }),
  );
});
afterAll(() => db.drop());

/** A minimal RFC 4180 reader: rows of cells, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted && c === '"' && body[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else {
      cell += c;
    }
  }
  return rows;
}

async function aRound(anonymity: 'anonymous' | 'named', values: readonly number[]) {
  const people = values.map((value, i) => ({
    ...(anonymity === 'named' ? { name: `Person ${i + 1}` } : {}),
    answers: [{ itemId: 'plan-or-adapt', value }],
  }));
  return (await api.answeredRound({ slug: 'pulse', anonymity }, people)).roundId;
}

const csv = async (roundId: string, part: 'items' | 'responses') => {
  const res = await api.get(`/rounds/${roundId}/export.csv?part=${part}`);
  return { status: res.status, rows: res.status === 200 ? parseCsv(res.text) : [] };
};

describe('the items CSV', () => {
  it('gives the dimension’s title, the item’s text and the pole leaned to beside the ids', async () => {
    const roundId = await aRound('anonymous', [1, 2, 2]);
    const { rows } = await csv(roundId, 'items');
    const [header, row] = rows as [string[], string[]];
    const cell = (name: string) => row[header.indexOf(name)];

    expect(cell('itemId')).toBe('plan-or-adapt');
    expect(cell('dimension')).toBe('ways');
    expect(cell('dimensionTitle')).toBe("'=Ways of working");
    expect(cell('title')).toBe('Do we follow the plan or adapt it?');
    expect(cell('lean')).toBe('left');
    expect(cell('leanedTo')).toBe('Plan');
  });

  it('gives no figure and no pole below k in an anonymous round', async () => {
    const roundId = await aRound('anonymous', [7, 7]);
    const { rows } = await csv(roundId, 'items');
    const [header, row] = rows as [string[], string[]];
    expect(row[header.indexOf('suppressed')]).toBe('true');
    expect(row[header.indexOf('leanedTo')]).toBe('');
    expect(row[header.indexOf('dimensionTitle')]).toBe("'=Ways of working");
    expect((await csv(roundId, 'responses')).status).toBe(409);
  });
});

describe('the answers CSV of a named round', () => {
  it('heads each column with its stable id and the item’s text, and names each answer’s pole', async () => {
    const roundId = await aRound('named', [2, 4, 6]);
    const { rows } = await csv(roundId, 'responses');
    const [header, ...answers] = rows as [string[], ...string[][]];

    expect(header).toEqual([
      'name',
      'role',
      'day',
      'plan-or-adapt.value: Do we follow the plan or adapt it?',
      'plan-or-adapt.pole: Do we follow the plan or adapt it?',
      'plan-or-adapt.comment: Do we follow the plan or adapt it?',
    ]);
    const poles = answers.map((r) => [r[3], r[4]]).sort();
    expect(poles).toEqual([
      ['2', 'Plan'],
      ['4', 'middle'],
      ['6', 'Adapt'],
    ]);
  });
});
