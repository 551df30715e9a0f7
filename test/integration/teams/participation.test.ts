import type { Express } from 'express';
import { RoundReportDto } from '../../../src/features/reports';
import { RoundDto } from '../../../src/features/rounds';
import { TeamDto } from '../../../src/features/teams';
import { loggedInAgent, submitForm } from '../../support/auth';
import { type Account, type Api, openCoachApp } from '../../support/api-client';
import { aDcfAnswer } from '../../support/factories';
import type { TestDatabase } from '../../support/db';

/**
 * Participation (DESIGN.md): a team's expected size, set through the API or the team form,
 * turns every round's count into "n of expected" on the round's page and API, the team page,
 * the dashboard and the report; bad sizes are refused and change nothing.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
});
afterAll(() => db.drop());

/** A round of the dcf check answered by `people` people. */
const aRoundAnsweredBy = (people: number) =>
  api.answeredRound(
    {},
    Array.from({ length: people }, (_, i) => aDcfAnswer(`Effort ${i}`)),
  );

describe('a team with an expected size', () => {
  it('shows "6 of 9 answered" in the round and report API, and on every page', async () => {
    const { roundId, teamId } = await aRoundAnsweredBy(6);
    const patched = await api.patch(`/teams/${teamId}`, { expectedSize: 9 });
    expect(TeamDto.parse(patched.body)).toMatchObject({ expectedSize: 9 });

    const round = RoundDto.parse((await api.get(`/rounds/${roundId}`)).body);
    expect(round).toMatchObject({ responseCount: 6, expected: 9 });
    expect(round.responseRate).toBeCloseTo(6 / 9, 10);
    const listed = (await api.get(`/rounds?teamId=${teamId}`)).body.items[0];
    expect(listed).toMatchObject({ expected: 9, responseCount: 6 });

    const report = RoundReportDto.parse((await api.get(`/rounds/${roundId}/report`)).body);
    expect(report).toMatchObject({ n: 6, expected: 9 });
    expect(report.summary).toMatchObject({ n: 6, expected: 9, belowK: false });
    expect(report.responseRate).toBeCloseTo(6 / 9, 10);

    const agent = await loggedInAgent(app, coach.email);
    for (const path of [
      `/rounds/${roundId}`,
      `/teams/${teamId}`,
      '/dashboard',
      `/reports/rounds/${roundId}`,
    ]) {
      const page = await agent.get(path);
      expect({ path, text: page.text }).toEqual({
        path,
        text: expect.stringContaining('6 of 9 answered (67%)'),
      });
    }
  });

  it('says how many more answers an anonymous round needs before any figure shows', async () => {
    const { roundId } = await aRoundAnsweredBy(1);
    const agent = await loggedInAgent(app, coach.email);

    const page = await agent.get(`/rounds/${roundId}`);
    expect(page.text).toContain('1 answered · 2 more answers before any figure shows');
  });

  it('forgets the size with null, and a team created with a size keeps it', async () => {
    const created = await api.post('/teams', { name: 'Sized from the start', expectedSize: 4 });
    expect(created.status).toBe(201);
    expect(created.body.expectedSize).toBe(4);

    const cleared = await api.patch(`/teams/${created.body.id}`, { expectedSize: null });
    expect(cleared.body.expectedSize).toBeNull();
    expect((await api.get(`/teams/${created.body.id}`)).body.expectedSize).toBeNull();
  });

  it.each([
    ['zero', 0],
    ['a negative number', -3],
    ['a fraction', 2.5],
    ['a string', '9'],
    ['too many', 1001],
    ['a boolean', true],
    ['an operator', { $gt: 0 }],
  ])('refuses %s as a size with 400 and keeps the old size', async (_what, expectedSize) => {
    const { teamId } = await api.openRound();
    await api.patch(`/teams/${teamId}`, { expectedSize: 7 });

    const res = await api.patch(`/teams/${teamId}`, { expectedSize });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details[0].path).toBe('expectedSize');
    expect((await api.get(`/teams/${teamId}`)).body.expectedSize).toBe(7);
  });
});

describe('the team form', () => {
  it('sets the size, clears it when emptied, and re-renders a bad one with a message', async () => {
    const { teamId } = await api.openRound({ teamName: 'Form sized' });
    const agent = await loggedInAgent(app, coach.email);
    const url = `/teams/${teamId}`;

    const saved = await submitForm(agent, url, url, {
      name: 'Form sized',
      tags: '',
      expectedSize: '9',
    });
    expect(saved.status).toBe(303);
    expect((await api.get(url)).body.expectedSize).toBe(9);
    expect((await agent.get(url)).text).toContain('9 people in the team.');

    const bad = await submitForm(agent, url, url, {
      name: 'Form sized',
      tags: '',
      expectedSize: 'nine',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the number of people in the team, e.g. 9');
    expect(bad.text).toContain('value="nine"');
    expect((await api.get(url)).body.expectedSize).toBe(9);

    const emptied = await submitForm(agent, url, url, {
      name: 'Form sized',
      tags: '',
      expectedSize: '',
    });
    expect(emptied.status).toBe(303);
    expect((await api.get(url)).body.expectedSize).toBeNull();
  });
});

describe('the team form’s member addresses', () => {
  it('keeps the addresses as typed, one per line or comma-separated; a bad one is named and nothing saved', async () => {
    const { teamId } = await api.openRound({ teamName: 'Form members' });
    const agent = await loggedInAgent(app, coach.email);
    const url = `/teams/${teamId}`;

    const saved = await submitForm(agent, url, url, {
      name: 'Form members',
      tags: 'tribe: payments, site: Lyon',
      members: 'ana@example.org\nben@example.org, chris@example.org',
    });
    expect(saved.status).toBe(303);
    const team = (await api.get(url)).body;
    expect(team.members).toEqual(['ana@example.org', 'ben@example.org', 'chris@example.org']);
    // The tags hint's own example is accepted as it reads.
    expect(team.tags).toEqual(['tribe: payments', 'site: Lyon']);

    const bad = await submitForm(agent, url, url, {
      name: 'Form members',
      tags: '',
      members: 'ana@example.org, not-an-address',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(
      'Members’ e-mail addresses (optional): “not-an-address” is not an e-mail address.',
    );
    expect(bad.text).toContain('ana@example.org, not-an-address</textarea>');
    expect((await api.get(url)).body.members).toHaveLength(3);
  });
});
