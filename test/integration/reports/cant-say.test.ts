import request from 'supertest';
import type { Express } from 'express';
import { RoundReportDto } from '../../../src/features/reports';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aMaturityItem, aTensionItem } from '../../support/factories';
import { countStoredResponses, storedResponses } from '../../support/responses';

/**
 * "Can't say" on tension and maturity items (DESIGN.md): counted apart, never in n, the
 * histogram or any figure, and shown as a count only where the item's figures are.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
const slug = 'cant-say-check';

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  await api.questionnaire({
    ...aDefinition({ slug, version: undefined, title: 'Can’t say check' }),
    sections: [
      {
        id: 'main',
        title: 'Main',
        items: [aTensionItem({ id: 'pace' }), aMaturityItem({ id: 'ops' })],
      },
    ],
  });
});
afterAll(() => db.drop());

type Answer = { itemId: string; value?: number; cantSay?: true };
const answer = (pace: number | 'cant-say', ops: number | 'cant-say'): Answer[] => [
  pace === 'cant-say' ? { itemId: 'pace', cantSay: true } : { itemId: 'pace', value: pace },
  ops === 'cant-say' ? { itemId: 'ops', cantSay: true } : { itemId: 'ops', value: ops },
];

const anOpenRound = () => api.openRound({ slug, title: 'Can’t say round' });

async function aRound(answers: Answer[][]) {
  const round = await api.answeredRound(
    { slug, title: 'Can’t say round' },
    answers.map((answers_) => ({ answers: answers_ })),
  );
  return round.roundId;
}

type ScaleItem = { suppressed: boolean; n?: number; histogram?: number[]; cantSay?: number };
const itemsOf = async (roundId: string) => {
  const report = RoundReportDto.parse((await api.get(`/rounds/${roundId}/report`)).body);
  const [pace, ops] = report.items as ScaleItem[];
  return { pace: pace!, ops: ops! };
};

describe('"can\'t say"', () => {
  it('is counted apart from n and the histogram, on the API, the page and the CSV', async () => {
    const roundId = await aRound([
      answer(2, 'cant-say'),
      answer(3, 2),
      answer(6, 3),
      answer('cant-say', 3),
    ]);

    const { pace, ops } = await itemsOf(roundId);
    expect(pace).toMatchObject({ suppressed: false, n: 3, cantSay: 1 });
    expect(pace.histogram!.reduce((a, b) => a + b, 0)).toBe(3);
    expect(ops).toMatchObject({ suppressed: false, n: 3, cantSay: 1 });

    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${roundId}`);
    expect(page.text).toMatch(/Can’t say<\/dt>\s*<dd[^>]*>1<\/dd>/);

    const csv = (await api.get(`/rounds/${roundId}/export.csv`)).text.split('\r\n');
    const header = csv[0]!.replace(/^\uFEFF/, '').split(',');
    const paceRow = csv.find((line) => line.includes(',pace,'))!.split(',');
    expect(paceRow[header.indexOf('n')]).toBe('3');
    expect(paceRow[header.indexOf('cantSay')]).toBe('1');
  });

  it('is not shown where the item is below k: the count would say who could not answer', async () => {
    const roundId = await aRound([answer(2, 1), answer('cant-say', 2), answer('cant-say', 3)]);

    const { pace, ops } = await itemsOf(roundId);
    expect(pace).toEqual(expect.objectContaining({ suppressed: true }));
    expect(pace).not.toHaveProperty('cantSay');
    expect(ops).toMatchObject({ suppressed: false, n: 3, cantSay: 0 });
  });

  it('is a choice on the respondent form, kept when the respondent comes back', async () => {
    const round = await anOpenRound();
    const agent = request.agent(app);
    const form = await agent.get(`/r/${round.link}`);
    expect(form.text).toContain('name="pace.value" value="cant-say"');
    expect(form.text).toContain('name="ops.value" value="cant-say"');
    const key = /name="respondentKey" value="([^"]+)"/.exec(form.text)![1]!;

    const posted = await agent
      .post(`/r/${round.link}`)
      .type('form')
      .send({ respondentKey: key, 'pace.value': 'cant-say', 'ops.value': '2' });
    expect(posted.status).toBe(303);
    const stored = (await storedResponses(db.conn, round.roundId))[0];
    expect(stored?.answers).toEqual([
      { itemId: 'pace', cantSay: true },
      { itemId: 'ops', value: 2 },
    ]);

    const again = await agent.get(`/r/${round.link}`);
    expect(again.text).toMatch(/value="cant-say" checked/);
  });

  it.each([
    ['with a value too', [{ itemId: 'pace', value: 3, cantSay: true }]],
    ['with a desired value', [{ itemId: 'pace', desired: 3, cantSay: true }]],
    ['false', [{ itemId: 'pace', cantSay: false }]],
    ['a string', [{ itemId: 'pace', cantSay: 'yes' }]],
  ])('%s: 400, nothing stored', async (_case, paceAnswer) => {
    const round = await anOpenRound();
    const before = await countStoredResponses(db.conn);
    const res = await request(app)
      .post(`/api/v1/r/${round.link}`)
      .send({ answers: [...paceAnswer, { itemId: 'ops', value: 2 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await countStoredResponses(db.conn)).toBe(before);
  });
});
