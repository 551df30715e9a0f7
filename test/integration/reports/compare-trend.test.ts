import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { loggedInAgent } from '../../support/auth';
import { type Account, type Api, apiFor, apiSignup, openCoachApp } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { all } from '../../support/html';
import { aDefinition, aMaturityItem, aTensionItem } from '../../support/factories';

let db: TestDatabase, app: Express, coach: Account, api: Api;

/** The collections read with `find`, as the database saw them (for counting round trips). */
const finds: string[] = [];

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({}, { monitorCommands: true }));
  db.conn.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'find') finds.push(String(event.command.find));
  });
});
afterAll(() => db.drop());

type TeamRow = {
  team: string;
  n: number;
  suppressed: boolean;
  dimensions: { key: string; suppressed: boolean; score100?: number }[];
  tensions: { mean: number | null }[];
};

/** A small custom questionnaire: one maturity item and one tension, one dimension. */
const custom = (title: string) =>
  aDefinition({
    slug: 'pulse',
    version: undefined,
    title,
    sections: [{ id: 'main', title: 'Main', items: [aMaturityItem(), aTensionItem()] }],
  });

/** One person a [level, position] pair, on the maturity item and the tension. */
const people = (values: readonly [number, number][]) =>
  values.map(([level, position]) => ({
    answers: [
      { itemId: 'visible-work', value: level },
      { itemId: 'plan-or-adapt', value: position },
    ],
  }));

async function pulseRound(teamName: string, values: readonly [number, number][]) {
  return api.answeredRound({ slug: 'pulse', teamName }, people(values));
}

describe('comparison', () => {
  it('puts each team’s dimension score and tension position side by side, with nothing below k', async () => {
    await api.post('/questionnaires', custom('Pulse'));
    const a = await pulseRound('Alpha', [
      [5, 1],
      [5, 1],
      [5, 2],
    ]);
    const b = await pulseRound('Beta', [
      [1, 7],
      [3, 6],
      [2, 7],
    ]);
    const small = await pulseRound('Gamma', [[4, 4]]);

    const res = await api.get(`/reports/compare?rounds=${a.roundId},${b.roundId},${small.roundId}`);

    expect(res.status).toBe(200);
    const [alpha, beta, gamma] = res.body.teams as TeamRow[];
    expect(alpha).toMatchObject({
      team: 'Alpha',
      n: 3,
      dimensions: [{ key: 'ways', suppressed: false, score100: 100 }],
    });
    expect(beta!.dimensions[0]!.score100).toBeCloseTo(((2 - 1) / 4) * 100, 10);
    expect(alpha!.tensions[0]!.mean).toBeCloseTo(4 / 3, 10);
    expect(gamma).toMatchObject({
      team: 'Gamma',
      n: 1,
      suppressed: true,
      dimensions: [{ key: 'ways', suppressed: true }],
    });
    expect(gamma!.tensions[0]).toMatchObject({ mean: null });
    expect(JSON.stringify(gamma)).not.toMatch(/score100|consensus/);
  });

  it('hides team names on request, in the API and on the page', async () => {
    const a = await pulseRound('Delta', [
      [3, 3],
      [3, 3],
      [3, 3],
    ]);
    const b = await pulseRound('Epsilon', [
      [4, 5],
      [4, 5],
      [4, 5],
    ]);
    const viaApi = await api.get(
      `/reports/compare?rounds=${a.roundId},${b.roundId}&hideNames=true`,
    );
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(
      `/reports/compare?rounds=${a.roundId}&rounds=${b.roundId}&hideNames=true`,
    );

    expect(viaApi.body.teams.map((t: { team: string }) => t.team)).toEqual(['Team A', 'Team B']);
    expect(JSON.stringify(viaApi.body)).not.toMatch(/Delta|Epsilon|roundId":"/);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Team A');
    const results = page.text.slice(page.text.indexOf('heat-title'));
    expect(results).not.toMatch(/Delta|Epsilon/);
  });

  it('draws each team on a row of its own on each tension, with its mean, on the side with room', async () => {
    const low = await pulseRound('Iota', [
      [3, 2],
      [3, 2],
      [3, 3],
    ]);
    const high = await pulseRound('Eta', [
      [3, 6],
      [3, 6],
      [3, 7],
    ]);
    const agent = await loggedInAgent(app, coach.email);

    const page = await agent.get(`/reports/compare?rounds=${low.roundId}&rounds=${high.roundId}`);

    expect(page.status).toBe(200);
    const chart = page.text.slice(page.text.indexOf('<figure class="positions"'));
    const labels = all(chart, /<text class="chart-label"[^>]*text-anchor="(?:start|end)">[^<]*</);
    expect(labels).toEqual([
      expect.stringMatching(/ y="52" dx="14" .*text-anchor="start">Iota 2\.33</),
      expect.stringMatching(/ y="80" dx="-14" .*text-anchor="end">Eta 6\.33</),
    ]);
  });

  it('shows a maturity score of 0 as 0, and agreement instead of scores without maturity items', async () => {
    const lowest = await pulseRound('Theta', [
      [1, 4],
      [1, 4],
      [1, 4],
    ]);
    const practice = await api.openRound({ slug: 'active-practice' });
    const agent = await loggedInAgent(app, coach.email);

    const scored = await agent.get(`/reports/compare?rounds=${lowest.roundId}`);
    const unscored = await agent.get(`/reports/compare?rounds=${practice.roundId}`);

    expect(scored.text).toContain('Maturity by dimension');
    expect(scored.text).toMatch(/heat--s0"><strong>0<\/strong>/);
    expect(unscored.text).toContain('Agreement by dimension');
    expect(unscored.text).not.toContain('Maturity by dimension');
  });

  it('refuses rounds of different questionnaires with 400', async () => {
    const pulse = await pulseRound('Zeta', [[3, 3]]);
    const other = await api.openRound({ slug: 'active-practice' });
    const res = await api.get(`/reports/compare?rounds=${pulse.roundId},${other.roundId}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'rounds', message: 'Compare rounds of one questionnaire: these use several.' },
    ]);
  });

  it('reads the teams of the rounds compared in one query, however many there are', async () => {
    const rounds = [];
    for (const name of ['Lambda', 'Mu', 'Nu', 'Xi']) {
      rounds.push((await pulseRound(name, [[3, 3]])).roundId);
    }

    finds.length = 0;
    const res = await api.get(`/reports/compare?rounds=${rounds.join(',')}`);

    expect(res.status).toBe(200);
    expect((res.body.teams as TeamRow[]).map((t) => t.team)).toEqual(['Lambda', 'Mu', 'Nu', 'Xi']);
    expect(finds.filter((c) => c === 'teams')).toHaveLength(1);
  });
});

describe('trend', () => {
  it('follows a team across rounds and marks where the questionnaire version changed', async () => {
    const own = await openTestDatabase();
    const trendApp = buildTestApp(own.conn);
    const me = await apiSignup(trendApp);
    const mine = apiFor(trendApp, me.token);
    await mine.questionnaire(custom('Pulse v1'));
    const teamId = await mine.team('Omega');
    const roundIn = async (title: string, values: [number, number][]) =>
      mine.answeredRound({ slug: 'pulse', teamId, title }, people(values));
    await roundIn('Spring', [
      [2, 2],
      [2, 3],
      [3, 2],
    ]);
    await mine.questionnaire(custom('Pulse v2'));
    await roundIn('Autumn', [
      [4, 5],
      [4, 6],
      [5, 5],
    ]);

    const res = await mine.get(`/teams/${teamId}/trend`);

    expect(res.status).toBe(200);
    expect(
      res.body.rounds.map((r: { title: string; version: number }) => [r.title, r.version]),
    ).toEqual([
      ['Spring', 1],
      ['Autumn', 2],
    ]);
    expect(res.body.rounds[1].dimensions[0].score100).toBeGreaterThan(
      res.body.rounds[0].dimensions[0].score100,
    );
    const agent = await loggedInAgent(trendApp, me.email);
    const page = await agent.get(`/reports/teams/${teamId}/trend`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('questionnaire version changed');
    await own.drop();
  });
});
