import request from 'supertest';
import { createLifecycle } from '../../../src/shared/lifecycle';
import { apiFor, apiSignup, openCoachApp, type Api } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { serve } from '../../support/browser';
import { openEvents } from '../../support/events';
import { TENSION_ITEMS } from '../../support/factories';

/**
 * A live session through the API and its event stream: the reveal gated on k, stepping in
 * discuss-first order, the end; and before the reveal, nothing but the count in any answer.
 */
let db: TestDatabase;
let api: Api;
let app: Awaited<ReturnType<typeof openCoachApp>>['app'];
const lifecycle = createLifecycle();
let server: Awaited<ReturnType<typeof serve>>;
let origin: string;

beforeAll(async () => {
  ({ db, app, api } = await openCoachApp({
    lifecycle,
    env: { LIVE_POLL_MS: '200', LIVE_HEARTBEAT_MS: '300' },
  }));
  server = await serve(app);
  origin = server.url;
});
afterAll(async () => {
  lifecycle.beginShutdown();
  await server?.close();
  await db?.drop();
});

/** A tension answer: every item at `value`, with a "why?" on the first. */
const tensionAnswer = (value: number, why: string, name?: string) => ({
  ...(name ? { name } : {}),
  answers: TENSION_ITEMS.map((itemId, i) => ({
    itemId,
    value,
    ...(i === 0 ? { comment: why } : {}),
  })),
});

const aTensionRound = (options: { anonymity?: 'anonymous' | 'named'; title?: string } = {}) =>
  api.openRound({ slug: 'tensions-in-how-we-work', minGroupSize: 3, ...options });

type SessionBody = {
  state: string;
  step: number | null;
  steps: number | null;
  itemId: string | null;
  n: number;
  kReached: boolean;
  missingForK: number;
  presenterUrl: string;
};

describe('a live session', () => {
  it('starts only on an open round, and a second start answers the same session', async () => {
    const teamId = await api.team();
    const draft = await api.post('/rounds', {
      teamId,
      questionnaire: { slug: 'tensions-in-how-we-work' },
      title: 'Draft',
      anonymity: 'anonymous',
      minGroupSize: 3,
    });
    const refused = await api.post(`/rounds/${(draft.body as { id: string }).id}/session`);
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { code: string } }).error.code).toBe('ROUND_NOT_OPEN');

    const { roundId } = await aTensionRound();
    const first = await api.post(`/rounds/${roundId}/session`);
    const again = await api.post(`/rounds/${roundId}/session`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'collecting', step: null, n: 0, kReached: false });
    expect((again.body as SessionBody).presenterUrl).toBe((first.body as SessionBody).presenterUrl);
  });

  it('refuses the reveal below k with how many more are needed, changing nothing; reveals at k', async () => {
    const { roundId, link } = await aTensionRound();
    await api.post(`/rounds/${roundId}/session`);
    await api.answer(link, tensionAnswer(2, 'a'), tensionAnswer(6, 'b'));

    const refused = await api.post(`/rounds/${roundId}/session/reveal`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: { code: 'BELOW_K', message: expect.stringContaining('1 more answer is needed') },
    });
    expect((await api.get(`/rounds/${roundId}`)).body).toMatchObject({ status: 'open' });
    expect((await api.get(`/rounds/${roundId}/session`)).body).toMatchObject({
      state: 'collecting',
      n: 2,
      missingForK: 1,
    });

    await api.answer(link, tensionAnswer(4, 'c'));
    const revealed = await api.post(`/rounds/${roundId}/session/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toMatchObject({ state: 'revealed', step: 0, itemId: null, n: 3 });
    expect((revealed.body as SessionBody).steps).toBe(TENSION_ITEMS.length);
    // The round is closed: its answers are final.
    expect((await api.get(`/rounds/${roundId}`)).body).toMatchObject({ status: 'closed' });
    const late = await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(1, 'late'));
    expect(late.status).toBe(410);
    const twice = await api.post(`/rounds/${roundId}/session/reveal`);
    expect((twice.body as { error: { code: string } }).error.code).toBe('SESSION_NOT_COLLECTING');
  });

  it('steps through the items in discuss-first order, and ends', async () => {
    const { roundId, link } = await aTensionRound();
    await api.post(`/rounds/${roundId}/session`);
    // A split on every item: each is on the discuss list.
    await api.answer(link, tensionAnswer(1, 'x'), tensionAnswer(7, 'y'), tensionAnswer(1, 'z'));
    await api.post(`/rounds/${roundId}/session/reveal`);
    const report = (await api.get(`/rounds/${roundId}/report`)).body as {
      discuss: { itemId: string }[];
      items: { itemId: string }[];
    };
    const order = [
      ...report.discuss.map((d) => d.itemId),
      ...report.items
        .map((i) => i.itemId)
        .filter((id) => !report.discuss.some((d) => d.itemId === id)),
    ];

    const seen: (string | null)[] = [];
    for (let index = 1; index <= order.length; index += 1) {
      const res = await api.post(`/rounds/${roundId}/session/step`, { index });
      expect(res.status).toBe(200);
      seen.push((res.body as SessionBody).itemId);
    }
    expect(seen).toEqual(order);
    const beyond = await api.post(`/rounds/${roundId}/session/step`, { index: order.length + 1 });
    expect(beyond.status).toBe(400);
    const bad = await api.post(`/rounds/${roundId}/session/step`, { index: 'next' });
    expect(bad.status).toBe(400);
    expect((await api.get(`/rounds/${roundId}/session`)).body).toMatchObject({
      step: order.length,
    });

    const ended = await api.delete(`/rounds/${roundId}/session`);
    expect(ended.body).toMatchObject({ state: 'ended' });
    const afterEnd = await api.post(`/rounds/${roundId}/session/step`, { index: 1 });
    expect((afterEnd.body as { error: { code: string } }).error.code).toBe('SESSION_NOT_REVEALED');
  });

  it('is its workspace’s: another workspace’s coach finds no round, and starts nothing', async () => {
    const { roundId } = await aTensionRound();
    const outsider = apiFor(app, (await apiSignup(app)).token);

    expect((await outsider.post(`/rounds/${roundId}/session`)).status).toBe(404);
    expect((await outsider.get(`/rounds/${roundId}/session`)).status).toBe(404);
    expect((await api.get(`/rounds/${roundId}/session`)).status).toBe(404);
  });
});

describe('the event stream', () => {
  it('sends the state and count, then each new answer, resumes from Last-Event-ID, and beats', async () => {
    const { roundId, link } = await aTensionRound();
    const started = (await api.post(`/rounds/${roundId}/session`)).body as SessionBody;
    const token = started.presenterUrl.split('/present/')[1]!;
    const url = `${origin}/api/v1/rounds/${roundId}/session/events?presenter=${token}`;

    const stream = await openEvents(url);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['x-accel-buffering']).toBe('no');
    // A client that loses its connection comes back after a second.
    expect(stream.retryMs()).toBe(1000);
    expect(await stream.next()).toMatchObject({
      event: 'state',
      data: { state: 'collecting', step: null },
    });
    expect(await stream.next()).toMatchObject({ event: 'count', data: { n: 0, kReached: false } });

    await api.answer(link, tensionAnswer(3, 'one'));
    const counted = await stream.next();
    expect(counted).toMatchObject({ event: 'count', data: { n: 1, missingForK: 2 } });
    stream.close();

    // A client coming back with the last id it saw hears nothing it knew, then what is new.
    const resumed = await openEvents(url, { 'Last-Event-ID': counted.id! });
    await api.answer(link, tensionAnswer(5, 'two'));
    expect(await resumed.next()).toMatchObject({ event: 'count', data: { n: 2 } });
    // The heartbeat (300 ms here) arrives on an idle stream.
    while (resumed.comments().length === 0) await waitABit(resumed);
    expect(resumed.comments()).toContain('heartbeat');
    resumed.close();

    const wrongRound = await openEvents(
      `${origin}/api/v1/rounds/${(await aTensionRound()).roundId}/session/events?presenter=${token}`,
    );
    expect(wrongRound.status).toBe(404);
    const forged = await openEvents(
      `${origin}/api/v1/rounds/${roundId}/session/events?presenter=x${token}`,
    );
    expect(forged.status).toBe(404);
    const nobody = await openEvents(`${origin}/api/v1/rounds/${roundId}/session/events`);
    expect(nobody.status).toBe(401);
  });

  it('tells of the reveal and the end, then closes; a client that heard the end gets 204', async () => {
    const { roundId, link } = await aTensionRound();
    const started = (await api.post(`/rounds/${roundId}/session`)).body as SessionBody;
    const token = started.presenterUrl.split('/present/')[1]!;
    const url = `${origin}/api/v1/rounds/${roundId}/session/events?presenter=${token}`;
    await api.answer(link, tensionAnswer(1, 'a'), tensionAnswer(2, 'b'), tensionAnswer(3, 'c'));
    const stream = await openEvents(url);
    await stream.next();
    await stream.next();

    await api.post(`/rounds/${roundId}/session/reveal`);
    expect(await stream.next()).toMatchObject({
      event: 'state',
      data: { state: 'revealed', step: 0 },
    });
    await api.post(`/rounds/${roundId}/session/step`, { index: 2 });
    expect(await stream.next()).toMatchObject({
      event: 'state',
      data: { state: 'revealed', step: 2 },
    });
    await api.delete(`/rounds/${roundId}/session`);
    const end = await stream.next();
    expect(end).toMatchObject({ event: 'state', data: { state: 'ended' } });
    await stream.closed();

    const after = await openEvents(url, { 'Last-Event-ID': end.id! });
    expect(after.status).toBe(204);
  });
});

/** Waits for the stream's next chunk (an event or a comment), bounded. */
async function waitABit(stream: Awaited<ReturnType<typeof openEvents>>) {
  const before = stream.comments().length + stream.received().length;
  const deadline = Date.now() + 5000;
  while (stream.comments().length + stream.received().length === before) {
    if (Date.now() > deadline) throw new Error('nothing arrived within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
