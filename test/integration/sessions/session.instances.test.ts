import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { MONGODB_CAPABILITIES } from '../../../src/shared/db/capabilities';
import { createLifecycle } from '../../../src/shared/lifecycle';
import { apiFor, openCoachApp } from '../../support/api-client';
import { buildTestApp } from '../../support/app';
import { openEvents } from '../../support/events';
import { TENSION_ITEMS } from '../../support/factories';

/**
 * Several instances behind a load balancer (on MongoDB: the shared layout, which this test uses
 * on the test database): a presenter's stream on one instance hears the answers stored and the
 * steps taken through another, from the database.
 */
it('a stream on one instance hears answers and changes made through another', async () => {
  const lifecycles = [createLifecycle(), createLifecycle()];
  const { db, app, api, coach } = await openCoachApp({
    capabilities: MONGODB_CAPABILITIES,
    lifecycle: lifecycles[0],
    env: { LIVE_POLL_MS: '200' },
  });
  const other = buildTestApp(db.conn, {
    capabilities: MONGODB_CAPABILITIES,
    lifecycle: lifecycles[1],
    env: { LIVE_POLL_MS: '200' },
  });
  const server: Server = app.listen(0, '127.0.0.1');
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { roundId, link } = await api.openRound({ slug: 'tensions-in-how-we-work' });
    const { presenterUrl } = (await api.post(`/rounds/${roundId}/session`)).body as {
      presenterUrl: string;
    };
    const token = new URL(presenterUrl).pathname.split('/').pop()!;
    const stream = await openEvents(
      `${origin}/api/v1/rounds/${roundId}/session/events?presenter=${token}`,
    );
    expect(await stream.next()).toMatchObject({ event: 'state' });
    expect(await stream.next()).toMatchObject({ event: 'count', data: { n: 0 } });

    const answer = { answers: TENSION_ITEMS.map((itemId) => ({ itemId, value: 4 })) };
    for (const n of [1, 2, 3]) {
      expect((await request(other).post(`/api/v1/r/${link}`).send(answer)).status).toBe(201);
      expect(await stream.next()).toMatchObject({ event: 'count', data: { n } });
    }
    // The reveal taken through the other instance reaches this one's stream too.
    const coachOnOther = apiFor(other, coach.token);
    expect((await coachOnOther.post(`/rounds/${roundId}/session/reveal`)).status).toBe(200);
    expect(await stream.next()).toMatchObject({ event: 'state', data: { state: 'revealed' } });
    stream.close();
  } finally {
    for (const lifecycle of lifecycles) lifecycle.beginShutdown();
    await new Promise((resolve) => server.close(resolve));
    await db.drop();
  }
});
