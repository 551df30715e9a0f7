import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { bearer, loggedInAgent } from '../../support/auth';
import { apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';

/**
 * The comparison page as a coach meets it: each team's latest round already chosen, so
 * "Compare" works at once; two rounds of one team told apart; n in every column; a split team
 * marked as split, not shaded like a lean.
 */
let db: TestDatabase;
let app: Express;
let now = FIXED_NOW;
let coach: Awaited<ReturnType<typeof apiSignup>>;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { clock: () => now });
  coach = await apiSignup(app);
  const created = await request(app)
    .post('/api/v1/questionnaires')
    .set(bearer(coach.token))
    .send(
      aDefinition({
        slug: 'pulse',
        version: undefined,
        title: 'Pulse',
        sections: [{ id: 'main', title: 'Main', items: [aTensionItem()] }],
      }),
    );
  expect(created.status).toBe(201);
});
afterAll(() => db.drop());

const api = (method: 'get' | 'post', path: string, body?: object) =>
  request(app)[method](`/api/v1${path}`).set(bearer(coach.token)).send(body);

async function aTeam(name: string): Promise<string> {
  return ((await api('post', '/teams', { name })).body as { id: string }).id;
}

/** A round of Pulse opened a day after the previous one, answered with these positions. */
async function aRound(teamId: string, title: string, positions: readonly number[]) {
  now = new Date(now.getTime() + 86_400_000);
  const round = (
    await api('post', '/rounds', {
      teamId,
      questionnaire: { slug: 'pulse' },
      title,
      anonymity: 'anonymous',
      minGroupSize: 3,
    })
  ).body as { id: string; link: { token: string } };
  expect((await api('post', `/rounds/${round.id}/open`)).status).toBe(200);
  for (const value of positions) {
    const res = await request(app)
      .post(`/api/v1/r/${round.link.token}`)
      .send({ answers: [{ itemId: 'plan-or-adapt', value }] });
    expect(res.status).toBe(201);
  }
  return round.id;
}

/** The first group of every match. */
const groups = (html: string, pattern: RegExp) =>
  [...html.matchAll(pattern)].map((m) => m[1] ?? '');

/** The `rounds` a browser would send from the second step as the page preselects it. */
const preselected = (html: string) =>
  groups(html, /<option value="([^"]+)" selected>/g).filter((id) => id.length > 10);

let atlasSpring: string;
let atlasAutumn: string;
let boreal: string;

beforeAll(async () => {
  const atlas = await aTeam('Atlas');
  atlasSpring = await aRound(atlas, 'Spring', [1, 2, 2]);
  boreal = await aRound(await aTeam('Boreal'), 'Kick-off', [1, 1, 7, 7]);
  atlasAutumn = await aRound(atlas, 'Autumn', [6, 7, 7, 6, 5]);
});

describe('the comparison picker', () => {
  it('preselects each team’s latest round of the chosen questionnaire, so Compare works at once', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const step2 = await agent.get('/reports/compare?questionnaire=pulse');
    expect(step2.status).toBe(200);
    expect(preselected(step2.text).sort()).toEqual([atlasAutumn, boreal].sort());

    const query = preselected(step2.text)
      .map((id) => `rounds=${id}`)
      .join('&');
    const compared = await agent.get(`/reports/compare?questionnaire=pulse&${query}`);
    expect(compared.status).toBe(200);
    expect(compared.text).toContain('Positions on each tension');
  });

  it('still says so when every team is set to "not included"', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const none = await agent.get('/reports/compare?questionnaire=pulse&rounds=&rounds=');
    expect(none.status).toBe(400);
    expect(none.text).toContain('Pick at least one round to compare');
    expect(preselected(none.text)).toEqual([]);
  });
});

describe('the compared columns', () => {
  it('tell two rounds of one team apart by title and give n for each', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(
      `/reports/compare?questionnaire=pulse&rounds=${atlasSpring}&rounds=${atlasAutumn}&rounds=${boreal}`,
    );
    expect(page.status).toBe(200);
    const headers = groups(page.text, /<th scope="col">([^<]*)<br><span class="muted heat-n">/g);
    expect(headers).toEqual(['Atlas: Spring', 'Atlas: Autumn', 'Boreal']);
    const counts = groups(page.text, /<span class="muted heat-n">n = (\d+)<\/span>/g);
    expect(counts).toEqual(['3', '5', '4']);
  });

  it('marks a split team as split, not with the shade of a lean', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(
      `/reports/compare?questionnaire=pulse&rounds=${atlasSpring}&rounds=${boreal}`,
    );
    const cells = groups(page.text, /<td class="heat heat--([a-z0-9]+)">/g);
    // Atlas (1, 2, 2) leans to the left; Boreal (1, 1, 7, 7) is split at a mean of 4.
    expect(cells).toEqual(['dl2', 'split']);
    expect(page.text).toContain('◀ split ▶');
  });
});
