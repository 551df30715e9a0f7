import request from 'supertest';
import type { Express } from 'express';
import { RoundDto } from '../../../src/features/rounds';
import { bearer, signedInAgent, submitForm } from '../../support/auth';
import { type Api, apiSignup, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { elementById } from '../../support/html';

/**
 * Issue #21, point 7: a round's title and closing date can be corrected, and a draft deleted,
 * by the API and the pages, under the rules of a new round. The clock is the test's, so that
 * "in the future" and "past its closing date" are the test's to decide.
 */
let db: TestDatabase, app: Express, api: Api;
let now = Date.UTC(2026, 9, 1, 10);
const clock = () => new Date(now);

beforeAll(async () => {
  ({ db, app, api } = await openCoachApp({ clock }));
});
afterAll(() => db.drop());

async function aDraft(): Promise<string> {
  const round = await api.post('/rounds', {
    teamId: await api.team(),
    questionnaire: { slug: 'active-practice' },
    title: 'Autum round',
    closesAt: '2026-12-20T23:59:59Z',
  });
  expect(round.status).toBe(201);
  return round.body.id as string;
}

const stored = (roundId: string) => db.conn.collection('rounds').findOne({ _id: roundId as never });

describe('PATCH /api/v1/rounds/:roundId', () => {
  it('corrects the title and the closing date and answers the round', async () => {
    const roundId = await aDraft();

    const res = await api.patch(`/rounds/${roundId}`, {
      title: 'Autumn round',
      closesAt: '2026-12-24T17:00:00Z',
    });

    expect(res.status).toBe(200);
    expect(RoundDto.parse(res.body)).toMatchObject({
      title: 'Autumn round',
      closesAt: '2026-12-24T17:00:00.000Z',
      status: 'draft',
    });
    expect(await stored(roundId)).toMatchObject({
      title: 'Autumn round',
      closesAt: new Date('2026-12-24T17:00:00Z'),
    });
  });

  it('with closesAt null, leaves the round open until a coach closes it', async () => {
    const roundId = await aDraft();
    const res = await api.patch(`/rounds/${roundId}`, { closesAt: null });
    expect(res.status).toBe(200);
    expect(res.body.closesAt).toBeNull();
  });

  it.each([
    ['an unknown key', 400, 'VALIDATION_FAILED', { title: 'Fine', status: 'closed' }],
    ['an operator for the title', 400, 'VALIDATION_FAILED', { title: { $ne: '' } }],
    ['a second line in the title', 400, 'VALIDATION_FAILED', { title: 'One\nTwo' }],
    ['an empty title', 400, 'VALIDATION_FAILED', { title: '   ' }],
    ['a title of 121 characters', 400, 'VALIDATION_FAILED', { title: 'x'.repeat(121) }],
    ['a date that is no date', 400, 'VALIDATION_FAILED', { closesAt: 'soon' }],
    ['an operator for the date', 400, 'VALIDATION_FAILED', { closesAt: { $gt: '' } }],
    ['nothing to change', 400, 'VALIDATION_FAILED', {}],
    ['a list', 400, 'VALIDATION_FAILED', [{ title: 'x' }]],
    ['a past closing date', 409, 'ROUND_CLOSES_IN_PAST', { closesAt: '2026-09-30T10:00:00Z' }],
    ['the closing date now', 409, 'ROUND_CLOSES_IN_PAST', { closesAt: '2026-10-01T10:00:00Z' }],
  ])('refuses %s with %i %s and changes nothing', async (_what, status, code, body) => {
    const roundId = await aDraft();
    const before = await stored(roundId);

    const res = await api.patch(`/rounds/${roundId}`, body);

    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await stored(roundId)).toEqual(before);
  });

  it('refuses a new closing date for a closed round with 409 ROUND_CLOSED, but corrects its title', async () => {
    const { roundId } = await api.openRound();
    await api.post(`/rounds/${roundId}/close`);

    const date = await api.patch(`/rounds/${roundId}`, { closesAt: '2027-01-31T00:00:00Z' });
    const title = await api.patch(`/rounds/${roundId}`, { title: 'Spring, corrected' });

    expect(date.status).toBe(409);
    expect(date.body.error.code).toBe('ROUND_CLOSED');
    expect(title.status).toBe(200);
    expect(title.body).toMatchObject({ status: 'closed', closesAt: null });
  });

  it('answers 404 for a round of another workspace, and changes nothing', async () => {
    const other = await apiSignup(app);
    const roundId = await aDraft();
    const res = await request(app)
      .patch(`/api/v1/rounds/${roundId}`)
      .set(bearer(other.token))
      .send({ title: 'Taken over' });
    expect(res.status).toBe(404);
    expect((await stored(roundId))?.title).toBe('Autum round');
  });

  it('moves an open round’s closing date for respondents at once (the link closes at the new date)', async () => {
    const { roundId, link } = await api.openRound();
    expect((await request(app).get(`/r/${link}`)).status).toBe(200);

    // A second later, well within the time the respondent side keeps an open round.
    const res = await api.patch(`/rounds/${roundId}`, { closesAt: '2026-10-01T10:00:01Z' });
    expect(res.status).toBe(200);
    now = Date.UTC(2026, 9, 1, 10, 0, 2);
    try {
      expect((await request(app).get(`/r/${link}`)).status).toBe(410);
    } finally {
      now = Date.UTC(2026, 9, 1, 10);
    }
  });
});

describe('DELETE /api/v1/rounds/:roundId', () => {
  it('deletes a draft: 204, and it is gone', async () => {
    const roundId = await aDraft();
    const res = await api.delete(`/rounds/${roundId}`);
    expect(res.status).toBe(204);
    expect(await stored(roundId)).toBeNull();
    expect((await api.get(`/rounds/${roundId}`)).status).toBe(404);
  });

  it.each(['open', 'closed'] as const)(
    'refuses an %s round with 409 ROUND_NOT_DRAFT saying to close it, and keeps it',
    async (status) => {
      const { roundId } = await api.openRound();
      if (status === 'closed') await api.post(`/rounds/${roundId}/close`);

      const res = await api.delete(`/rounds/${roundId}`);

      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ROUND_NOT_DRAFT');
      expect(res.body.error.message).toMatch(/only a draft can be deleted/);
      if (status === 'open') expect(res.body.error.message).toMatch(/Close it instead/);
      expect(await stored(roundId)).not.toBeNull();
    },
  );
});

describe('the round’s edit page and delete button', () => {
  let agent: Awaited<ReturnType<typeof signedInAgent>>['agent'];
  let teamId: string;

  beforeAll(async () => {
    agent = (await signedInAgent(app)).agent;
    const team = await submitForm(agent, '/teams', '/teams', { name: 'Page team' });
    teamId = String(team.headers.location).split('/').pop() ?? '';
  });

  async function aPageDraft(): Promise<string> {
    const res = await submitForm(agent, `/rounds/new?teamId=${teamId}`, '/rounds/new', {
      teamId,
      questionnaire: 'active-practice',
      title: 'Autum round',
      anonymity: 'anonymous',
      access: 'link',
      minGroupSize: '3',
      closesOn: '2026-12-20',
    });
    expect(res.status).toBe(303);
    return String(res.headers.location).split('/').pop() ?? '';
  }

  it('shows the title and date filled in, and saves a correction', async () => {
    const roundId = await aPageDraft();
    const form = await agent.get(`/rounds/${roundId}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<input[^>]*id="field-title"[^>]*value="Autum round"/);
    expect(form.text).toMatch(/<input[^>]*id="field-closesOn"[^>]*value="2026-12-20"/);

    const saved = await submitForm(agent, `/rounds/${roundId}/edit`, `/rounds/${roundId}/edit`, {
      title: 'Autumn <round>',
      closesOn: '2026-12-24',
    });

    expect(saved.status).toBe(303);
    const page = await agent.get(`/rounds/${roundId}`);
    expect(page.text).toContain('Autumn &lt;round&gt;');
    expect(await stored(roundId)).toMatchObject({ closesAt: new Date('2026-12-24T23:59:59Z') });
  });

  it('reports every mistake at once next to its field, keeps the values, and changes nothing', async () => {
    const roundId = await aPageDraft();
    const res = await submitForm(agent, `/rounds/${roundId}/edit`, `/rounds/${roundId}/edit`, {
      title: '',
      closesOn: '2026-01-01',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter a title');
    expect(res.text).toContain('value="2026-01-01"');
    expect((await stored(roundId))?.title).toBe('Autum round');

    const past = await submitForm(agent, `/rounds/${roundId}/edit`, `/rounds/${roundId}/edit`, {
      title: 'Fine',
      closesOn: '2026-01-01',
    });
    expect(past.status).toBe(409);
    expect(elementById(past.text, 'field-closesOn-error')).toContain(
      'The closing date must be in the future.',
    );
    expect(past.text).toContain('value="Fine"');
    expect((await stored(roundId))?.title).toBe('Autum round');
  });

  it('deletes a draft after a confirmation page, and offers no delete for an open round', async () => {
    const roundId = await aPageDraft();
    const show = await agent.get(`/rounds/${roundId}`);
    expect(show.text).toContain(`action="/rounds/${roundId}/delete"`);

    const ask = await submitForm(agent, `/rounds/${roundId}`, `/rounds/${roundId}/delete`, {});
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Delete this draft round?');
    expect(await stored(roundId)).not.toBeNull();

    const done = await submitForm(agent, `/rounds/${roundId}`, `/rounds/${roundId}/delete`, {
      confirm: 'yes',
    });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/teams/${teamId}`);
    expect(await stored(roundId)).toBeNull();

    const other = await aPageDraft();
    await submitForm(agent, `/rounds/${other}`, `/rounds/${other}/open`, {});
    expect((await agent.get(`/rounds/${other}`)).text).not.toContain('/delete"');
  });
});
