import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp, movingClock } from '../../support/app';
import { bearer, signedInAgent, submitForm } from '../../support/auth';
import { apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { clock: movingClock() });
});
afterAll(() => db.drop());

describe('the demo', () => {
  it('fills a workspace with three teams whose reports, comparison and trend all have content', async () => {
    const coach = await apiSignup(app);

    const seeded = await request(app).post('/api/v1/demo').set(bearer(coach.token));

    expect(seeded.status).toBe(201);
    expect(seeded.body).toMatchObject({ teams: 3, rounds: 9, actions: 6 });
    const rounds = (await request(app).get('/api/v1/rounds').set(bearer(coach.token))).body
      .items as {
      id: string;
      teamId: string;
      title: string;
      status: string;
      responseCount: number;
    }[];
    expect(rounds.filter((r) => r.status === 'closed')).toHaveLength(6);
    const below = rounds.find((r) => r.responseCount < 3)!;
    expect(
      (await request(app).get(`/api/v1/rounds/${below.id}/report`).set(bearer(coach.token))).body
        .suppressed,
    ).toBe(true);
    const atlasSpring = rounds.find((r) => r.title === 'Tensions' && r.responseCount === 6)!;
    const report = (
      await request(app).get(`/api/v1/rounds/${atlasSpring.id}/report`).set(bearer(coach.token))
    ).body as {
      discuss: { itemId: string }[];
    };
    expect(report.discuss.map((d) => d.itemId)).toContain('busy-vs-flow');
    const springs = rounds.filter((r) => r.title === 'Spring check').map((r) => r.id);
    const compare = await request(app)
      .get(`/api/v1/reports/compare?rounds=${springs.join(',')}`)
      .set(bearer(coach.token));
    expect(compare.body.teams).toHaveLength(3);
    const trend = await request(app)
      .get(`/api/v1/teams/${below.teamId}/trend`)
      .set(bearer(coach.token));
    expect(trend.body.rounds).toHaveLength(2);
    expect(trend.body.rounds[0].actions).toHaveLength(1);
  });

  it('has actions that the autumn reports follow up: compared, overdue, and below k', async () => {
    const coach = await apiSignup(app);
    await request(app).post('/api/v1/demo').set(bearer(coach.token));
    const get = (path: string) => request(app).get(`/api/v1${path}`).set(bearer(coach.token));
    const autumns = ((await get('/rounds')).body.items as { id: string; title: string }[]).filter(
      (r) => r.title === 'Autumn check',
    );
    type FollowUp = { comparison: string | null; overdue: boolean; status: string };
    const followUps: FollowUp[] = [];
    for (const r of autumns) {
      followUps.push(...((await get(`/rounds/${r.id}/report`)).body.actions as FollowUp[]));
    }

    expect(followUps.map((f) => f.comparison)).toEqual(
      expect.arrayContaining(['compared', 'below-k']),
    );
    expect(followUps.filter((f) => f.overdue)).toHaveLength(1);
    expect(new Set(followUps.map((f) => f.status))).toEqual(new Set(['open', 'done', 'dropped']));
  });

  it('is offered on the empty dashboard, and added only once', async () => {
    const { agent } = await signedInAgent(app);
    const dashboard = await agent.get('/dashboard');
    expect(dashboard.text).toContain('Add demo teams and answers');

    const res = await submitForm(agent, '/dashboard', '/demo', {});
    const again = await submitForm(agent, '/teams', '/demo', {});

    expect(res.status).toBe(303);
    expect((await agent.get('/dashboard')).text).toContain('Atlas (demo)');
    expect(again.status).toBe(409);
  });
});
