import request from 'supertest';
import type { Express } from 'express';
import { TeamDto } from '../../../src/features/teams';
import { buildTestApp } from '../../support/app';
import { bearer, signedInAgent, submitForm } from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import type { Agent } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';

/**
 * Issue #21, point 5: a closed round's page and card say it is closed and hand out no link;
 * archiving a team asks first, says which open rounds it closes, and closes them (page and API).
 */
let db: TestDatabase;
let now = Date.UTC(2026, 9, 1, 10);
const clock = () => new Date(now);
let app: Express;
let agent: Agent;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { clock });
  agent = (await signedInAgent(app)).agent;
});
afterAll(() => db.drop());
beforeEach(() => {
  now = Date.UTC(2026, 9, 1, 10);
});

async function aTeam(name: string): Promise<string> {
  const res = await submitForm(agent, '/teams', '/teams', { name });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('/').pop() ?? '';
}

async function anOpenPageRound(teamId: string, title: string, closesOn = ''): Promise<string> {
  const res = await submitForm(agent, `/rounds/new?teamId=${teamId}`, '/rounds/new', {
    teamId,
    questionnaire: 'active-practice',
    title,
    anonymity: 'anonymous',
    access: 'link',
    minGroupSize: '3',
    closesOn,
  });
  expect(res.status).toBe(303);
  const roundId = String(res.headers.location).split('/').pop() ?? '';
  await submitForm(agent, `/rounds/${roundId}`, `/rounds/${roundId}/open`, {});
  return roundId;
}

describe('a closed round’s page', () => {
  it('says when it closed, and shows no link, QR code, card or sharing text', async () => {
    const teamId = await aTeam('Closers');
    const roundId = await anOpenPageRound(teamId, 'Closed by a coach', '2026-12-20');
    const open = await agent.get(`/rounds/${roundId}`);
    expect(open.text).toContain('id="round-link"');

    now = Date.UTC(2026, 9, 3, 9);
    await submitForm(agent, `/rounds/${roundId}`, `/rounds/${roundId}/close`, { confirm: 'yes' });
    now = Date.UTC(2026, 9, 5, 9);
    const page = await agent.get(`/rounds/${roundId}`);

    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<dt>Closed<\/dt><dd>on [^<]*2026/);
    expect(page.text).not.toContain('Closes');
    expect(page.text).not.toContain('2026-12-20');
    expect(page.text).not.toContain('id="round-link"');
    expect(page.text).not.toContain('qr.svg');
    expect(page.text).not.toContain('/card"');
    expect(page.text).not.toContain('answers through this link');
    expect(page.text).not.toContain('/rotate-link"');
  });

  it('past its closing date, says it closed then, though no coach closed it', async () => {
    const teamId = await aTeam('Date closers');
    const roundId = await anOpenPageRound(teamId, 'Closed by its date', '2026-10-02');
    now = Date.UTC(2026, 9, 9, 9);
    const page = await agent.get(`/rounds/${roundId}`);
    expect(page.text).toMatch(/<dt>Closed<\/dt><dd>on [^<]*2026/);
    expect(page.text).not.toContain('id="round-link"');
  });

  it('has an invitation card that says it is closed, with no link or QR code', async () => {
    const teamId = await aTeam('Card closers');
    const roundId = await anOpenPageRound(teamId, 'Card round');
    await submitForm(agent, `/rounds/${roundId}`, `/rounds/${roundId}/close`, { confirm: 'yes' });

    const card = await agent.get(`/rounds/${roundId}/card`);

    expect(card.status).toBe(200);
    expect(card.text).toContain('This round is closed');
    expect(card.text).not.toContain('<svg');
    expect(card.text).not.toContain('/r/');
  });
});

describe('archiving a team on its page', () => {
  it('asks first on a page naming the open rounds it closes, then archives and closes them', async () => {
    const teamId = await aTeam('Archivists');
    const openId = await anOpenPageRound(teamId, 'Still <open>');
    const team = await agent.get(`/teams/${teamId}`);
    expect(team.text).toContain(`href="/teams/${teamId}/archive"`);
    expect(team.text).not.toContain(`action="/teams/${teamId}/archive"`);

    const ask = await agent.get(`/teams/${teamId}/archive`);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Still &lt;open&gt;');
    expect(ask.text).toContain('Archiving closes 1 open round');
    expect((await db.conn.collection('teams').findOne({ _id: teamId as never }))?.archivedAt).toBe(
      null,
    );

    const done = await submitForm(
      agent,
      `/teams/${teamId}/archive`,
      `/teams/${teamId}/archive`,
      {},
    );
    expect(done.status).toBe(303);
    const after = await agent.get(`/teams/${teamId}`);
    expect(after.text).toContain('its open round “Still &lt;open&gt;” closed');
    expect(await db.conn.collection('rounds').findOne({ _id: openId as never })).toMatchObject({
      status: 'closed',
    });
  });

  it('says so when there is no open round to close', async () => {
    const teamId = await aTeam('Quiet team');
    const ask = await agent.get(`/teams/${teamId}/archive`);
    expect(ask.text).toContain('no open round');
  });
});

describe('PATCH /api/v1/teams/:teamId with archived: true', () => {
  it('closes the team’s open rounds, lists them in closedRounds, and the link stops taking answers', async () => {
    const coach = await apiSignup(app);
    const { roundId, teamId, link } = await anOpenRound(app, coach.token);
    expect((await request(app).get(`/r/${link}`)).status).toBe(200);

    const res = await request(app)
      .patch(`/api/v1/teams/${teamId}`)
      .set(bearer(coach.token))
      .send({ archived: true });

    expect(res.status).toBe(200);
    expect(TeamDto.parse(res.body)).toMatchObject({
      archived: true,
      closedRounds: [{ id: roundId, title: 'Round under test' }],
    });
    const round = await request(app).get(`/api/v1/rounds/${roundId}`).set(bearer(coach.token));
    expect(round.body.status).toBe('closed');
    expect((await request(app).get(`/r/${link}`)).status).toBe(410);
  });

  it('has no closedRounds in the answer to a change that does not archive', async () => {
    const coach = await apiSignup(app);
    const { teamId } = await anOpenRound(app, coach.token);
    const res = await request(app)
      .patch(`/api/v1/teams/${teamId}`)
      .set(bearer(coach.token))
      .send({ name: 'Renamed' });
    expect(res.body).not.toHaveProperty('closedRounds');
  });
});
