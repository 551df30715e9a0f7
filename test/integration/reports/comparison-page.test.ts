import type { Express } from 'express';
import { FIXED_NOW } from '../../support/app';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';

/**
 * The comparison page as a coach meets it: each team's latest round already chosen, so
 * "Compare" works at once; two rounds of one team told apart; n in every column; a split team
 * marked as split, not shaded like a lean.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let now = FIXED_NOW;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ clock: () => now }));
  await api.questionnaire(
    aDefinition({
      slug: 'pulse',
      version: undefined,
      title: 'Pulse',
      sections: [{ id: 'main', title: 'Main', items: [aTensionItem()] }],
    }),
  );
});
afterAll(() => db.drop());

/** A round of Pulse opened a day after the previous one, answered with these positions. */
async function aRound(teamId: string, title: string, positions: readonly number[]) {
  now = new Date(now.getTime() + 86_400_000);
  const people = positions.map((value) => ({ answers: [{ itemId: 'plan-or-adapt', value }] }));
  return (await api.answeredRound({ slug: 'pulse', teamId, title }, people)).roundId;
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
  const atlas = await api.team('Atlas');
  atlasSpring = await aRound(atlas, 'Spring', [1, 2, 2]);
  boreal = await aRound(await api.team('Boreal'), 'Kick-off', [1, 1, 7, 7]);
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
