import request from 'supertest';
import type { Express } from 'express';
import { ANSWERS_SETTLE_MS } from '../../../src/features/rounds';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { anOpenRound, apiSignup, bearer } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { DCF_ASPECTS } from '../../support/factories';

/**
 * Reports of rounds whose answers are final are read from a snapshot of their counts (so past
 * rounds cost the same whatever their size): the numbers must not change when that happens.
 */
let db: TestDatabase;
let app: Express;
let now: Date;
let coach: Awaited<ReturnType<typeof apiSignup>>;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { clock: () => now });
});
beforeEach(async () => {
  now = FIXED_NOW;
  coach = await apiSignup(app);
});
afterAll(() => db.drop());

const snapshots = () => db.conn.collection('response_count_snapshots');

/** Five answers to the drivers/constraints/floats check: votes, verdicts and comments. */
async function answeredRound(): Promise<string> {
  const { link, roundId } = await anOpenRound(app, coach.token);
  const rows = ['DCFDFFCF', 'DDDFFFCC', 'DCFFFFFF', 'CCCDFFFF', 'FFFFFFFF'];
  const keys = DCF_ASPECTS;
  const name = { D: 'driver', C: 'constraint', F: 'float' } as const;
  for (const [n, row] of rows.entries()) {
    const classes = Object.fromEntries(keys.map((k, i) => [k, name[row[i] as 'D' | 'C' | 'F']]));
    const res = await request(app)
      .post(`/api/v1/r/${link}`)
      .send({
        answers: [
          { itemId: 'effort-in-one-sentence', text: `Effort ${n}` },
          { itemId: 'effort-aspects', classes },
        ],
      });
    expect(res.status).toBe(201);
  }
  return roundId;
}

const report = (roundId: string) =>
  request(app).get(`/api/v1/rounds/${roundId}/report`).set(bearer(coach.token));

describe('a closed round', () => {
  it('is counted live until its answers settle, then from a snapshot with the same numbers', async () => {
    const roundId = await answeredRound();
    expect(
      (await request(app).post(`/api/v1/rounds/${roundId}/close`).set(bearer(coach.token))).status,
    ).toBe(200);

    const justClosed = await report(roundId);
    expect(await snapshots().countDocuments({ _id: roundId as never })).toBe(0);

    now = new Date(FIXED_NOW.getTime() + ANSWERS_SETTLE_MS);
    const settled = await report(roundId);
    const again = await report(roundId);

    expect(justClosed.status).toBe(200);
    expect(justClosed.body.n).toBe(5);
    expect(settled.body).toEqual(justClosed.body);
    expect(again.body).toEqual(justClosed.body);
    expect(await snapshots().countDocuments({ _id: roundId as never })).toBe(1);
  });

  it('an open round is never snapshotted, however old', async () => {
    const roundId = await answeredRound();
    now = new Date(FIXED_NOW.getTime() + 10 * ANSWERS_SETTLE_MS);

    expect((await report(roundId)).body.n).toBe(5);
    expect(await snapshots().countDocuments({ _id: roundId as never })).toBe(0);
  });

  it('its comparison and trend are the same before and after its answers settle', async () => {
    const roundId = await answeredRound();
    await request(app).post(`/api/v1/rounds/${roundId}/close`).set(bearer(coach.token));
    const teamId = (await report(roundId)).body.team.id as string;
    const views = async () =>
      Promise.all([
        request(app).get(`/api/v1/reports/compare?rounds=${roundId}`).set(bearer(coach.token)),
        request(app).get(`/api/v1/teams/${teamId}/trend`).set(bearer(coach.token)),
      ]);

    const [compareLive, trendLive] = await views();
    now = new Date(FIXED_NOW.getTime() + ANSWERS_SETTLE_MS);
    const [compareSettled, trendSettled] = await views();

    expect(compareLive.status).toBe(200);
    expect(trendLive.status).toBe(200);
    expect(compareLive.body.teams[0].n).toBe(5);
    expect(compareSettled.body).toEqual(compareLive.body);
    expect(trendSettled.body).toEqual(trendLive.body);
    expect(await snapshots().countDocuments({ _id: roundId as never })).toBe(1);
  });
});
