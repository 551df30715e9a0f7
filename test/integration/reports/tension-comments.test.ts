import request from 'supertest';
import type { Express } from 'express';
import { RoundExportDto, RoundReportDto } from '../../../src/features/reports';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';
import { countStoredResponses } from '../../support/responses';

/**
 * A tension's optional "why?" (DESIGN.md): shown under the item like practice comments,
 * shuffled and without names in anonymous rounds, and only where the item's answers reach k.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let slug: string;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  slug = 'why-tensions';
  await api.questionnaire({
    ...aDefinition({ slug, version: undefined, title: 'Why tensions' }),
    sections: [{ id: 'main', title: 'Main', items: [aTensionItem({ id: 'pace' })] }],
  });
});
afterAll(() => db.drop());

const PAYLOAD = '<script>alert(1)</script>';

async function aRound(
  answers: { value: number; comment?: string; name?: string }[],
  named = false,
) {
  const people = answers.map((a) => ({
    answers: [{ itemId: 'pace', value: a.value, ...(a.comment ? { comment: a.comment } : {}) }],
    ...(a.name ? { name: a.name } : {}),
  }));
  const round = await api.answeredRound(
    {
      slug,
      title: 'Why round',
      anonymity: named ? 'named' : 'anonymous',
      minGroupSize: named ? 1 : 3,
    },
    people,
  );
  return round.roundId;
}

const tensionOf = (report: { items: unknown[] }) =>
  report.items[0] as { suppressed: boolean; comments?: { text: string; name?: string }[] };

describe('the "why?" of a tension', () => {
  it('shows every comment under the item from k answers on, without names, escaped on the page', async () => {
    const roundId = await aRound([
      { value: 2, comment: 'We plan a year ahead' },
      { value: 3 },
      { value: 6, comment: PAYLOAD },
    ]);

    const report = RoundReportDto.parse((await api.get(`/rounds/${roundId}/report`)).body);
    const comments = tensionOf(report).comments ?? [];
    expect(comments.map((c) => c.text).sort()).toEqual([PAYLOAD, 'We plan a year ahead'].sort());
    expect(comments.every((c) => c.name === undefined)).toBe(true);

    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${roundId}`);
    expect(page.text).toContain('Why, in their words');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(PAYLOAD);
  });

  it('shows none below k: not in the report, the page or the JSON export', async () => {
    const roundId = await aRound([
      { value: 2, comment: 'Only two of us' },
      { value: 3, comment: 'Hidden too' },
    ]);

    const report = await api.get(`/rounds/${roundId}/report`);
    const exported = await api.get(`/rounds/${roundId}/export.json`);
    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${roundId}`);

    expect(tensionOf(report.body)).toMatchObject({ suppressed: true });
    for (const text of [JSON.stringify(report.body), exported.text, page.text]) {
      expect(text).not.toContain('Only two of us');
      expect(text).not.toContain('Hidden too');
    }
  });

  it('keeps names beside comments in named rounds, and in the answers CSV', async () => {
    const roundId = await aRound([{ value: 4, comment: 'Balanced for now', name: 'Chloé' }], true);

    const report = RoundReportDto.parse((await api.get(`/rounds/${roundId}/report`)).body);
    const csv = await api.get(`/rounds/${roundId}/export.csv?part=responses`);
    const exported = RoundExportDto.parse((await api.get(`/rounds/${roundId}/export.json`)).body);

    expect(tensionOf(report).comments).toEqual([{ text: 'Balanced for now', name: 'Chloé' }]);
    // The JSON export names the answer as the API received it: a value and a comment.
    expect(exported.responses?.[0]?.answers).toEqual([
      { itemId: 'pace', value: 4, comment: 'Balanced for now' },
    ]);
    expect(csv.text.split('\r\n')[0]).toContain('pace.comment');
    expect(csv.text).toContain('Balanced for now');
  });

  it('refuses a comment of more than 500 characters with 400 and stores nothing', async () => {
    const roundId = await aRound([]);
    const round = await api.get(`/rounds/${roundId}`);
    const res = await request(app)
      .post(`/api/v1/r/${round.body.link.token}`)
      .send({ answers: [{ itemId: 'pace', value: 4, comment: 'x'.repeat(501) }] });

    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('answers.0.comment');
    expect(await countStoredResponses(db.conn, roundId)).toBe(0);
  });
});
