import request from 'supertest';
import type { Express } from 'express';
import { loggedInAgent, submitForm } from '../../support/auth';
import { apiFor, apiSignup, openCoachApp, type Account, type Api } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';
import { elementById } from '../../support/html';

/**
 * The team results link (DESIGN.md): a coach's read-only, revocable link to a closed round's
 * results for the team, which never shows a name (even in named rounds) nor a figure of fewer
 * than k answers.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
const slug = 'results-tensions';

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  await api.questionnaire({
    ...aDefinition({ slug, version: undefined, title: 'Results tensions' }),
    sections: [
      {
        id: 'main',
        title: 'Main',
        items: [
          aTensionItem({ id: 'pace', prompt: 'How do we pace our work?' }),
          aTensionItem({ id: 'scope', prompt: 'How do we cut scope?' }),
        ],
      },
    ],
  });
});
afterAll(() => db.drop());

const NAMES = ['Chloé Zanetti', 'Bartholomew Quist', 'Ingrid Oyelaran'];
const ROLES = ['Tester of things', 'Keeper of keys', 'Maker of maps'];

/**
 * A closed round: three people answer `pace` (with a "why?"), two of them `scope` (below
 * k = 3; the third can't say), each with a name and a role when the round is named.
 */
async function aClosedRound(anonymity: 'anonymous' | 'named' = 'named') {
  const bodies = NAMES.map((name, i) => ({
    answers: [
      { itemId: 'pace', value: 2 + i, comment: `Pace reason ${i}` },
      i < 2
        ? { itemId: 'scope', value: 6, comment: `Scope secret ${i}` }
        : { itemId: 'scope', cantSay: true as const },
    ],
    ...(anonymity === 'named' ? { name, role: ROLES[i] } : {}),
  }));
  const round = await api.answeredRound(
    { slug, title: 'Results round', anonymity, teamName: `Team ${Math.random()}` },
    bodies,
  );
  expect((await api.post(`/rounds/${round.roundId}/close`)).status).toBe(200);
  return round;
}

const linkOf = (roundId: string) => `/rounds/${roundId}/results-link`;
/** The page's path of a link's URL (the app is reached without its BASE_URL). */
const pathOf = (url: string) => new URL(url).pathname;

describe('POST /api/v1/rounds/:roundId/results-link', () => {
  it('makes a link for a closed round (201), and gives the same one again (200)', async () => {
    const { roundId } = await aClosedRound();

    const made = await api.post(linkOf(roundId));
    const again = await api.post(linkOf(roundId));
    const read = await api.get(linkOf(roundId));

    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      roundId,
      url: expect.stringMatching(/\/results\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/),
      createdAt: expect.any(String),
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(made.body);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(made.body);
  });

  it('refuses an open round with 409 ROUND_NOT_CLOSED and stores nothing', async () => {
    const { roundId } = await api.openRound({ slug });

    const res = await api.post(linkOf(roundId));

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_NOT_CLOSED');
    expect(await db.conn.collection('results_links').countDocuments({ roundId })).toBe(0);
    expect((await api.get(linkOf(roundId))).body.error.code).toBe('RESULTS_LINK_NOT_FOUND');
  });

  it("answers 404 for another workspace's round, and makes no link there", async () => {
    const { roundId } = await aClosedRound();
    const other = apiFor(app, (await apiSignup(app)).token);

    for (const res of [
      await other.post(linkOf(roundId)),
      await other.get(linkOf(roundId)),
      await other.delete(linkOf(roundId)),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ROUND_NOT_FOUND');
    }
    expect(await db.conn.collection('results_links').countDocuments({ roundId })).toBe(0);
  });
});

describe('GET /results/:token', () => {
  it('shows the summary and the items, without a name, in a named round', async () => {
    const { roundId } = await aClosedRound('named');
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };

    // A browser without any cookie: the link needs no account.
    const page = await request(app).get(pathOf(url));

    expect(page.status).toBe(200);
    expect(page.text).toContain('Results round');
    expect(page.text).toContain('At a glance');
    expect(page.text).toContain('How do we pace our work?');
    expect(page.text).toContain('Pace reason 1');
    for (const word of [...NAMES, ...ROLES, 'Chloé', 'Zanetti', 'Quist']) {
      expect(page.text).not.toContain(word);
    }
    expect(page.text).toContain('No names; no figure is shown for fewer than 3 answers');
  });

  it('shows no figure and no comment of an item with fewer than k answers, in a named round', async () => {
    const { roundId } = await aClosedRound('named');
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };

    const page = await request(app).get(pathOf(url));
    const pace = elementById(page.text, 'item-pace');
    const scope = elementById(page.text, 'item-scope');

    expect(pace).toContain('Consensus');
    expect(scope).toContain('Fewer answers than the minimum group size: not shown.');
    expect(scope).not.toContain('Consensus');
    expect(page.text).not.toContain('Scope secret');
    // The coach's report of the same named round shows them (k = 1): the page hides them.
    const coachPage = await (
      await loggedInAgent(app, coach.email)
    ).get(`/reports/rounds/${roundId}`);
    expect(coachPage.text).toContain('Scope secret');
    expect(coachPage.text).toContain('Chloé Zanetti');
  });

  it('shows nothing of a round below k but how many answered', async () => {
    const scope = { itemId: 'scope', value: 4 };
    const { roundId } = await api.answeredRound({ slug, title: 'Two of us', anonymity: 'named' }, [
      { answers: [{ itemId: 'pace', value: 1, comment: 'Only two' }, scope], name: 'Ada Lovelace' },
      { answers: [{ itemId: 'pace', value: 7 }, scope], name: 'Alan Turing' },
    ]);
    await api.post(`/rounds/${roundId}/close`);
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };

    const page = await request(app).get(pathOf(url));

    expect(page.status).toBe(200);
    expect(page.text).toContain('Fewer than 3 people have answered this round.');
    for (const hidden of ['Only two', 'Ada Lovelace', 'Alan Turing', 'id="item-pace"']) {
      expect(page.text).not.toContain(hidden);
    }
  });

  it('lists the actions agreed from the round, without their owner or notes', async () => {
    const { roundId, teamId } = await aClosedRound();
    const created = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      itemId: 'pace',
      title: 'Plan one week at a time',
      owner: 'Bartholomew Quist',
      notes: 'Ingrid thinks this is too slow',
    });
    expect(created.status).toBe(201);
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };

    const page = await request(app).get(pathOf(url));

    expect(elementById(page.text, 'actions-agreed')).toContain('Plan one week at a time');
    expect(page.text).not.toContain('Quist');
    expect(page.text).not.toContain('Ingrid');
  });

  it('has no menu, no form, no link into the application, and is kept private', async () => {
    const { roundId, teamId } = await aClosedRound();
    await api.post(`/teams/${teamId}/actions`, { sourceRoundId: roundId, title: 'Pair more' });
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };

    const page = await request(app).get(pathOf(url));

    expect(page.text).not.toContain('<nav');
    expect(page.text).not.toContain('<form');
    expect(page.text).not.toMatch(/href="\/(?!css|img|js)/);
    expect(page.text).not.toContain('Log in');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('answers the same 404 page for a forged, a malformed and a revoked link', async () => {
    const { roundId } = await aClosedRound();
    const { url } = (await api.post(linkOf(roundId))).body as { url: string };
    const path = pathOf(url);
    const [id] = path.slice('/results/'.length).split('.');
    expect((await request(app).get(path)).status).toBe(200);

    const revoked = await api.delete(linkOf(roundId));
    expect(revoked.status).toBe(204);

    for (const bad of [
      path,
      `/results/${id}.${'A'.repeat(22)}`,
      '/results/nonsense',
      `/results/${'x'.repeat(300)}`,
    ]) {
      const page = await request(app).get(bad);
      expect(page.status).toBe(404);
      expect(page.text).toContain('This link is not valid');
      expect(page.text).not.toContain('Results round');
      expect(page.text).not.toContain('<nav');
    }
    expect((await api.get(linkOf(roundId))).status).toBe(404);
    // Revoking again changes nothing; a new link is another one.
    expect((await api.delete(linkOf(roundId))).status).toBe(204);
    const renewed = await api.post(linkOf(roundId));
    expect(renewed.status).toBe(201);
    expect(renewed.body.url).not.toBe(url);
  });
});

describe('the round page', () => {
  it('lets a coach make, see and revoke the link of a closed round (forms with CSRF)', async () => {
    const { roundId } = await aClosedRound();
    const agent = await loggedInAgent(app, coach.email);
    const round = await agent.get(`/rounds/${roundId}`);
    expect(elementById(round.text, 'results-link-title')).toContain('Team results link');

    const page = `/rounds/${roundId}/results-link`;
    const made = await submitForm(agent, page, page, {});
    expect(made.status).toBe(303);
    const shown = await agent.get(page);
    const { url } = (await api.get(linkOf(roundId))).body as { url: string };
    expect(shown.text).toContain(`value="${url}"`);
    const qr = await agent.get(`${page}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);

    const revoked = await submitForm(agent, page, `${page}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect((await request(app).get(pathOf(url))).status).toBe(404);
    expect((await agent.get(page)).text).toContain('Make the team results link');
  });

  it('offers no results link on an open round', async () => {
    const { roundId } = await api.openRound({ slug });
    const agent = await loggedInAgent(app, coach.email);

    const round = await agent.get(`/rounds/${roundId}`);

    expect(round.text).not.toContain('results-link');
  });
});
