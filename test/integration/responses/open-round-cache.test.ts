import request from 'supertest';
import type { Express } from 'express';
import { OPEN_ROUND_TTL_MS } from '../../../src/features/responses/response.service';
import { buildTestApp } from '../../support/app';
import { bearer } from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';

/**
 * A respondent link's round is reused for a few seconds (open-round-cache.ts): exact within
 * one instance, at most OPEN_ROUND_TTL_MS stale in another. Two app instances share one
 * database here, each with a clock the test moves; database commands are counted with the
 * driver's command monitoring.
 */
let db: TestDatabase;
let now = Date.UTC(2026, 9, 1);
const clock = () => new Date(now);
let here: Express;
let elsewhere: Express;
let coach: Awaited<ReturnType<typeof apiSignup>>;
const commands: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase({ monitorCommands: true });
  db.conn.getClient().on('commandStarted', (event) => commands.push(event.commandName));
  here = buildTestApp(db.conn, { clock });
  elsewhere = buildTestApp(db.conn, { clock });
  coach = await apiSignup(here);
});
afterAll(() => db.drop());

const page = (app: Express, link: string) => request(app).get(`/r/${link}`);

async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  commands.length = 0;
  await run();
  return [...commands];
}

describe('a respondent link', () => {
  it('costs no database round trip for its round once a respondent page has been served', async () => {
    const { link } = await anOpenRound(here, coach.token);
    expect((await page(here, link)).status).toBe(200);

    const second = await commandsOf(async () => expect((await page(here, link)).status).toBe(200));

    expect(second).toEqual([]);
  });

  it('stops taking answers at once in the instance that closed its round', async () => {
    const { link, roundId } = await anOpenRound(here, coach.token);
    expect((await page(here, link)).status).toBe(200);

    await request(here).post(`/api/v1/rounds/${roundId}/close`).set(bearer(coach.token));

    expect((await page(here, link)).status).toBe(410);
  });

  it('stops working at once in the instance that replaced it', async () => {
    const { link, roundId } = await anOpenRound(here, coach.token);
    expect((await page(here, link)).status).toBe(200);

    await request(here).post(`/api/v1/rounds/${roundId}/rotate-link`).set(bearer(coach.token));

    expect((await page(here, link)).status).toBe(404);
  });

  it('is at most OPEN_ROUND_TTL_MS stale in another instance', async () => {
    const { link, roundId } = await anOpenRound(here, coach.token);
    expect((await page(elsewhere, link)).status).toBe(200);

    await request(here).post(`/api/v1/rounds/${roundId}/close`).set(bearer(coach.token));
    const stale = await page(elsewhere, link);
    now += OPEN_ROUND_TTL_MS;
    const fresh = await page(elsewhere, link);

    expect(stale.status).toBe(200);
    expect(fresh.status).toBe(410);
  });

  it('reads its closing date at every use, cached or not', async () => {
    const created = await request(here)
      .post('/api/v1/teams')
      .set(bearer(coach.token))
      .send({ name: 'Closing soon' });
    const round = await request(here)
      .post('/api/v1/rounds')
      .set(bearer(coach.token))
      .send({
        teamId: created.body.id,
        questionnaire: { slug: 'drivers-constraints-floats' },
        title: 'Closes in a second',
        closesAt: new Date(now + 1000).toISOString(),
      });
    await request(here).post(`/api/v1/rounds/${round.body.id}/open`).set(bearer(coach.token));
    const link = round.body.link.token as string;
    expect((await page(here, link)).status).toBe(200);

    now += 1000;

    expect((await page(here, link)).status).toBe(410);
  });
});
