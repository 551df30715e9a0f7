import request from 'supertest';
import type { Express } from 'express';
import { createLifecycle } from '../../../src/shared/lifecycle';
import { openCoachApp, type Account, type Api } from '../../support/api-client';
import { csrfOf, loggedInAgent, type Agent } from '../../support/auth';
import type { TestDatabase } from '../../support/db';
import { serve } from '../../support/browser';
import { openEvents } from '../../support/events';
import { TENSION_ITEMS } from '../../support/factories';
import { unescapeHtml } from '../../support/html';
import { movingClock } from '../../support/app';

/**
 * A live session's pages: the facilitator's controls as a coach uses them (forms, refusals on
 * the page), and before the reveal no figure, comment or name in any page, API answer or event
 * of the session — two rounds answered in opposite ways look the same there.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api, agent: Agent;
const lifecycle = createLifecycle();
let server: Awaited<ReturnType<typeof serve>>;
let origin: string;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ lifecycle, clock: movingClock() }));
  agent = await loggedInAgent(app, coach.email);
  server = await serve(app);
  origin = server.url;
});
afterAll(async () => {
  lifecycle.beginShutdown();
  await server?.close();
  await db?.drop();
});

/** Every tension at `value`, a "why?" on each, and a name when the round is named. */
const answer = (value: number, why: string, name?: string) => ({
  ...(name ? { name } : {}),
  answers: TENSION_ITEMS.map((itemId) => ({ itemId, value, comment: `${why} on ${itemId}` })),
});

/** Posts a page's form as the browser does: with the page's CSRF token. */
async function post(path: string, fields: Record<string, string> = {}) {
  const page = await agent.get(`/rounds/${path.split('/')[2]}`);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfOf(page.text), ...fields });
}

describe('the facilitator’s page', () => {
  it('starts from the round page, refuses the reveal below k on the page, then steps and agrees an action the next round follows up', async () => {
    const { roundId, link, teamId } = await api.openRound({ slug: 'tensions-in-how-we-work' });
    const roundPage = await agent.get(`/rounds/${roundId}`);
    expect(roundPage.text).toContain(`action="/rounds/${roundId}/session/start"`);

    const started = await post(`/rounds/${roundId}/session/start`);
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`/rounds/${roundId}/session`);
    const page = await agent.get(`/rounds/${roundId}/session`);
    expect(page.status).toBe(200);
    expect(unescapeHtml(page.text)).toContain('Reveal the results — 3 more answers needed');
    expect(page.text).toMatch(/class="button js-reveal" type="submit" disabled/);

    await api.answer(link, answer(1, 'slow'), answer(7, 'fast'));
    const refused = await post(`/rounds/${roundId}/session/reveal`);
    expect(refused.status).toBe(409);
    expect(unescapeHtml(refused.text)).toContain('1 more answer is needed before the reveal');
    expect((await api.get(`/rounds/${roundId}`)).body).toMatchObject({ status: 'open' });

    await api.answer(link, answer(1, 'calm'));
    expect((await post(`/rounds/${roundId}/session/reveal`)).status).toBe(303);
    const revealed = unescapeHtml((await agent.get(`/rounds/${roundId}/session`)).text);
    expect(revealed).toContain('At a glance');
    expect((await post(`/rounds/${roundId}/session/step`, { index: '1' })).status).toBe(303);
    const session = (await api.get(`/rounds/${roundId}/session`)).body as { itemId: string };

    // A title left empty: said on the page, with what was typed kept.
    const empty = await post(`/rounds/${roundId}/session/actions`, { title: ' ', owner: 'Sam' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Say what the team will do');
    expect(empty.text).toContain('value="Sam"');
    const agreed = await post(`/rounds/${roundId}/session/actions`, {
      title: 'Limit work in progress to three',
      owner: 'Sam',
      pole: 'right',
    });
    expect(agreed.status).toBe(303);
    const presenter = (await api.get(`/rounds/${roundId}/session`)).body as {
      presenterUrl: string;
    };
    const screen = await request(app).get(new URL(presenter.presenterUrl).pathname);
    expect(unescapeHtml(screen.text)).toContain('Limit work in progress to three');

    expect((await post(`/rounds/${roundId}/session/end`)).status).toBe(303);
    const ended = unescapeHtml(
      (await request(app).get(new URL(presenter.presenterUrl).pathname)).text,
    );
    expect(ended).toContain('Actions agreed');
    expect(ended).toContain('Limit work in progress to three');

    // The next round of the team follows the action up, on the item it was agreed on.
    const next = await api.openRound({ slug: 'tensions-in-how-we-work', teamId });
    const report = (await api.get(`/rounds/${next.roundId}/report`)).body as {
      actions: { title: string; item: { id: string } | null }[];
    };
    expect(report.actions).toEqual([
      expect.objectContaining({
        title: 'Limit work in progress to three',
        item: expect.objectContaining({ id: session.itemId }),
      }),
    ]);
  });

  it('is refused to someone not signed in; the shared screen is bare, private, and refused to anyone who guesses', async () => {
    const { roundId } = await api.openRound({ slug: 'tensions-in-how-we-work' });
    await api.post(`/rounds/${roundId}/session`);
    const anonymous = await request(app).get(`/rounds/${roundId}/session`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    const { presenterUrl } = (await api.get(`/rounds/${roundId}/session`)).body as {
      presenterUrl: string;
    };
    const screen = await request(app).get(new URL(presenterUrl).pathname);
    // No menus and no forms; the count in a live region; without JavaScript it reloads itself;
    // its address (the token) leaves in no Referer and stays in no cache.
    expect(screen.text).not.toContain('<nav');
    expect(screen.text).not.toContain('<form');
    expect(screen.text).toMatch(/class="live-count" role="status" aria-live="polite"/);
    expect(screen.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(screen.headers['referrer-policy']).toBe('no-referrer');
    expect(screen.headers['cache-control']).toBe('private, no-store');
    expect(screen.headers['set-cookie']).toBeUndefined();
    expect((await request(app).get('/present/not-a-token')).status).toBe(404);
    expect((await request(app).get(`/present/${roundId}.AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });
});

describe('before the reveal, nothing but the count leaves the server', () => {
  const names = ['Alice Ostrova', 'Bruno Keshet', 'Carmen Lindqvist'];
  type Opened = Awaited<ReturnType<Api['openRound']>>;

  /** A round answered by three people, all at `value`, started as a session: what it shows. */
  async function shown(value: number, anonymity: 'anonymous' | 'named', why: string) {
    const round: Opened = await api.openRound({
      slug: 'tensions-in-how-we-work',
      anonymity,
      minGroupSize: 3,
      title: 'Opposites',
    });
    await api.answer(
      round.link,
      ...names.map((name) => answer(value, why, anonymity === 'named' ? name : undefined)),
    );
    const started = (await api.post(`/rounds/${round.roundId}/session`)).body as {
      presenterUrl: string;
    };
    const token = new URL(started.presenterUrl).pathname.split('/').pop()!;
    const stream = await openEvents(
      `${origin}/api/v1/rounds/${round.roundId}/session/events?presenter=${token}`,
    );
    const events = [await stream.next(), await stream.next()].map((e) => e.data);
    stream.close();
    const normalise = (text: string) =>
      unescapeHtml(text)
        .replaceAll(round.roundId, '<round>')
        .replaceAll(round.link, '<link>')
        .replaceAll(token, '<token>')
        .replace(/<svg[\s\S]*?<\/svg>/g, '<qr>')
        .replace(/name="_csrf" value="[^"]+"/g, '')
        .replace(/\?v=[\w-]+/g, '')
        .replace(/<p class="flash"[^<]*<\/p>/g, '')
        // Each round has a team of its own, named at random.
        .replace(/Team [0-9a-f]{6}/g, '<team>');
    const {
      presenterUrl: _url,
      startedAt: _at,
      ...api_
    } = (await api.get(`/rounds/${round.roundId}/session`)).body as Record<string, unknown>;
    return {
      presenter: normalise((await request(app).get(`/present/${token}`)).text),
      facilitator: normalise((await agent.get(`/rounds/${round.roundId}/session`)).text),
      api: api_,
      events,
    };
  }

  it.each(['anonymous', 'named'] as const)(
    'in %s rounds: the presenter, the facilitator, the API and the events of opposite rounds are alike',
    async (anonymity) => {
      const left = await shown(1, anonymity, 'Deadlines first');
      const right = await shown(7, anonymity, 'Flow first');

      expect(right.presenter).toEqual(left.presenter);
      expect(right.facilitator).toEqual(left.facilitator);
      expect(right.api).toEqual(left.api);
      expect(right.events).toEqual(left.events);
      const everything = JSON.stringify(left) + JSON.stringify(right);
      for (const word of [...names, 'Deadlines first', 'Flow first', 'Mean', 'Consensus'])
        expect(everything).not.toContain(word);
      expect(left.presenter).toContain('3 answered');
    },
  );

  it('after the reveal of a named round, the shared screen shows the comments but no name', async () => {
    const round = await api.openRound({ slug: 'tensions-in-how-we-work', anonymity: 'named' });
    await api.answer(round.link, ...names.map((name, i) => answer(1 + i * 3, 'Because', name)));
    const { presenterUrl } = (await api.post(`/rounds/${round.roundId}/session`)).body as {
      presenterUrl: string;
    };
    await api.post(`/rounds/${round.roundId}/session/reveal`);
    await api.post(`/rounds/${round.roundId}/session/step`, { index: 1 });

    const screen = unescapeHtml((await request(app).get(new URL(presenterUrl).pathname)).text);
    expect(screen).toContain('Because on');
    for (const name of names) expect(screen).not.toContain(name);
    // The coach's own report of the named round does name them: the screen is what differs.
    const report = JSON.stringify((await api.get(`/rounds/${round.roundId}/report`)).body);
    expect(report).toContain(names[0]);
  });
});

describe('a start refused', () => {
  it('says why on the error page when the round is not open', async () => {
    const { roundId } = await api.openRound({ slug: 'tensions-in-how-we-work' });
    await api.post(`/rounds/${roundId}/close`);

    const refused = await post(`/rounds/${roundId}/session/start`);

    expect(refused.status).toBe(409);
    expect(unescapeHtml(refused.text)).toContain('A live session starts on an open round');
    expect((await api.get(`/rounds/${roundId}/session`)).status).toBe(404);
  });
});
