import type { Express } from 'express';
import { RoundDto, RoundListDto } from '../../../src/features/rounds';
import { TeamDto } from '../../../src/features/teams';
import { buildTestApp } from '../../support/app';
import { type Api, apiFor, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;
let owner: Awaited<ReturnType<typeof apiSignup>>;
let api: Api;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  owner = await apiSignup(app);
  api = apiFor(app, owner.token);
});
afterAll(() => db.drop());

async function aTeam(name: string) {
  const res = await api.post('/teams', { name, tags: ['tribe: payments'] });
  return TeamDto.parse(res.body);
}

describe('teams', () => {
  it('creates, renames, retags, archives and restores a team', async () => {
    const team = await aTeam('Falcons');
    expect(team).toMatchObject({ name: 'Falcons', tags: ['tribe: payments'], archived: false });

    const renamed = await api.patch(`/teams/${team.id}`, {
      name: 'Hawks',
      tags: ['site: Lyon', 'site: Lyon'],
    });
    expect(TeamDto.parse(renamed.body)).toMatchObject({ name: 'Hawks', tags: ['site: Lyon'] });

    await api.patch(`/teams/${team.id}`, { archived: true });
    const active = await api.get('/teams');
    const all = await api.get('/teams?archived=true');
    expect(active.body.items.map((t: { id: string }) => t.id)).not.toContain(team.id);
    expect(all.body.items.find((t: { id: string }) => t.id === team.id)).toMatchObject({
      archived: true,
    });

    const restored = await api.patch(`/teams/${team.id}`, { archived: false });
    expect(restored.body.archived).toBe(false);
  });

  it('refuses a second team with the same name (any case) with 409', async () => {
    await aTeam('Otters');
    const res = await api.post('/teams', { name: 'OTTERS' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TEAM_NAME_TAKEN');
  });

  it('refuses renaming a team to a name in use with 409, and keeps its name', async () => {
    await aTeam('Beavers');
    const other = await aTeam('Badgers');
    const res = await api.patch(`/teams/${other.id}`, { name: 'beavers' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TEAM_NAME_TAKEN');
    expect((await api.get(`/teams/${other.id}`)).body.name).toBe('Badgers');
  });

  it('refuses an empty PATCH with 400', async () => {
    const team = await aTeam('Empty patch');
    const res = await api.patch(`/teams/${team.id}`, {});
    expect(res.status).toBe(400);
  });
});

describe('rounds', () => {
  async function aRound(overrides: object = {}) {
    const team = await aTeam(`Team ${Math.random()}`);
    const res = await api.post('/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'tensions-in-how-we-work' },
      title: 'Spring check-in',
      ...overrides,
    });
    expect(res.status).toBe(201);
    return RoundDto.parse(res.body);
  }

  it('creates a draft round, anonymous with k = 3 by default, with a link for the coach', async () => {
    const round = await aRound();

    expect(round).toMatchObject({
      status: 'draft',
      anonymity: 'anonymous',
      minGroupSize: 3,
      responseCount: 0,
      questionnaire: { slug: 'tensions-in-how-we-work', version: 2 },
    });
    // Nothing to confuse (no i, l, o, u, no upper case) or clip (no - or _) in the link.
    expect(round.link?.token).toMatch(/^[0-9a-hjkmnp-tv-z]{40}$/);
    expect(round.link?.path).toBe(`/r/${round.link?.token}`);
  });

  it('locks the questionnaire version it uses', async () => {
    await aRound();
    const q = await api.get('/questionnaires/tensions-in-how-we-work');
    expect(q.body.locked).toBe(true);
  });

  it('moves only draft → open → closed', async () => {
    const round = await aRound();

    const closeDraft = await api.post(`/rounds/${round.id}/close`);
    expect(closeDraft.status).toBe(409);
    expect(closeDraft.body.error.code).toBe('ROUND_NOT_OPEN');

    const opened = await api.post(`/rounds/${round.id}/open`);
    expect(opened.body).toMatchObject({ status: 'open', openedAt: expect.any(String) });

    const openTwice = await api.post(`/rounds/${round.id}/open`);
    expect(openTwice.status).toBe(409);
    expect(openTwice.body.error.code).toBe('ROUND_NOT_DRAFT');

    const closed = await api.post(`/rounds/${round.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await api.post(`/rounds/${round.id}/open`)).status).toBe(409);
  });

  it('rotating the link replaces the token: the old one no longer finds the round', async () => {
    const round = await aRound();
    const rotated = RoundDto.parse((await api.post(`/rounds/${round.id}/rotate-link`)).body);

    expect(rotated.link?.token).not.toBe(round.link?.token);
    expect(
      await db.conn.collection('rounds').countDocuments({ linkToken: round.link?.token }),
    ).toBe(0);
    expect(
      await db.conn.collection('rounds').countDocuments({ linkToken: rotated.link?.token }),
    ).toBe(1);
  });

  it.each([
    ['k below 3 in an anonymous round', { minGroupSize: 2 }, 'minGroupSize'],
    ['an unknown anonymity mode', { anonymity: 'secret' }, 'anonymity'],
    ['a closing date that is not a date', { closesAt: 'tomorrow' }, 'closesAt'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, overrides, path) => {
    const team = await aTeam(`Bad ${path}`);
    const before = await db.conn.collection('rounds').countDocuments();

    const res = await api.post('/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'active-practice' },
      title: 'R',
      ...overrides,
    });

    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await db.conn.collection('rounds').countDocuments()).toBe(before);
  });

  it('allows k = 1 in a named round', async () => {
    const round = await aRound({ anonymity: 'named', minGroupSize: 1 });
    expect(round).toMatchObject({ anonymity: 'named', minGroupSize: 1 });
  });

  it.each([
    [
      'a closing date in the past',
      { closesAt: '2020-01-01T00:00:00Z' },
      409,
      'ROUND_CLOSES_IN_PAST',
    ],
    [
      'an unknown questionnaire',
      { questionnaire: { slug: 'nope' } },
      404,
      'QUESTIONNAIRE_NOT_FOUND',
    ],
    [
      'an unknown version',
      { questionnaire: { slug: 'active-practice', version: 9 } },
      404,
      'QUESTIONNAIRE_NOT_FOUND',
    ],
    ['an unknown team', { teamId: 'no-such-team' }, 404, 'TEAM_NOT_FOUND'],
  ])('refuses %s', async (name, overrides, status, code) => {
    const team = await aTeam(`Refuse ${name}`);
    const res = await api.post('/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'active-practice' },
      title: 'R',
      ...overrides,
    });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a round for an archived team with 409', async () => {
    const team = await aTeam('Archived');
    await api.patch(`/teams/${team.id}`, { archived: true });
    const res = await api.post('/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'active-practice' },
      title: 'R',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TEAM_ARCHIVED');
  });

  it('lists rounds by team and status in the documented shape', async () => {
    const round = await aRound();
    const res = await api.get(`/rounds?teamId=${round.teamId}&status=draft`);

    expect(RoundListDto.parse(res.body).items.map((r) => r.id)).toEqual([round.id]);
  });
});
