import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { STALE_WRITE_MS } from '../../../src/features/responses/tally.repository';
import {
  FERRETDB_CAPABILITIES,
  MONGODB_CAPABILITIES,
  type DatabaseCapabilities,
} from '../../../src/shared/db/capabilities';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { anOpenRound, apiSignup, bearer } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { TENSION_ITEMS } from '../../support/factories';

/**
 * Responses are counted by query where the database finds them by index, and by tally where it
 * cannot (responses/response.counting.ts); both ways run here, on the test database, whatever
 * server it is. Whatever the order of writes and reads, a report must show what counting the
 * stored responses shows. By tally, reports read each round's tally, which every write keeps
 * up to date; a recount from the responses rebuilds it when it cannot be trusted.
 */
let db: TestDatabase;
let app: Express;
let now: Date;
let coach: Awaited<ReturnType<typeof apiSignup>>;

beforeAll(async () => {
  db = await openTestDatabase();
});
/** The app of the tests that follow, counting as it does on a server with `capabilities`. */
function countingAs(capabilities: DatabaseCapabilities) {
  beforeAll(() => {
    app = buildTestApp(db.conn, { clock: () => now, capabilities });
  });
}
beforeEach(async () => {
  now = FIXED_NOW;
  coach = await apiSignup(app);
});
afterAll(() => db.drop());

type Tally = {
  _id: string;
  n: number;
  counted: boolean;
  recount: boolean;
  pending: Record<string, Date>;
  superseded?: Record<string, Date>;
};
const tallies = () => db.conn.collection<Tally>('response_tallies');

/** What says whether a round's tally can be trusted (toEqual, not toMatchObject: {} matches all). */
async function tallyState(roundId: string) {
  const tally = await tallies().findOne({ _id: roundId });
  if (!tally) return null;
  return {
    n: tally?.n,
    counted: tally?.counted,
    recount: tally?.recount,
    pending: tally?.pending,
    superseded: tally?.superseded ?? {},
  };
}
const clean = (n: number) => ({ n, counted: true, recount: false, pending: {}, superseded: {} });
const responses = () =>
  db.conn.collection<{ roundId: string; answers: { itemId: string; value?: number }[] }>(
    'responses',
  );

const newKey = () => randomBytes(32).toString('base64url');

/**
 * A complete answer to "Tensions in how we work", different for each `seed`; the desired
 * position (asked on busy-vs-flow) given by two seeds in three.
 */
function tensionAnswer(seed: number) {
  return {
    answers: TENSION_ITEMS.map((itemId, i) => ({
      itemId,
      value: 1 + ((seed * 3 + i) % 7),
      ...(itemId === 'busy-vs-flow' && seed % 3 !== 0 ? { desired: 1 + (seed % 7) } : {}),
    })),
  };
}

const report = (roundId: string) =>
  request(app).get(`/api/v1/rounds/${roundId}/report`).set(bearer(coach.token));

/** The histogram of an item, counted by this test from the stored responses themselves. */
async function storedHistogram(roundId: string, itemId: string): Promise<number[]> {
  const histogram = [0, 0, 0, 0, 0, 0, 0];
  for (const doc of await responses().find({ roundId }).toArray()) {
    const value = doc.answers.find((a) => a.itemId === itemId)?.value;
    if (value) histogram[value - 1]! += 1;
  }
  return histogram;
}

/**
 * What a write of another process leaves once it has stored its response: a copy of one of the
 * round's responses under a new respondent key, and nothing in the tally.
 */
async function storeLikeAnotherProcess(roundId: string): Promise<void> {
  const stored = await responses().findOne({ roundId });
  await responses().insertOne({
    ...stored!,
    _id: randomBytes(16).toString('base64url'),
    editKeyHash: randomBytes(32).toString('hex'),
  } as never);
}

/** The report again after the tally is thrown away, so it is counted from the responses. */
async function recounted(roundId: string) {
  await tallies().deleteOne({ _id: roundId });
  return report(roundId);
}

describe.each([
  ['query', MONGODB_CAPABILITIES, () => null],
  ['tally', FERRETDB_CAPABILITIES, clean],
] as const)('counting by %s', (_way, capabilities, expectedTally) => {
  countingAs(capabilities);

  it('counts concurrent submissions, resends and revisions exactly once, while reports are read', async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    const keys = Array.from({ length: 24 }, newKey);
    const post = (key: string, seed: number) =>
      request(app).post(`/api/v1/r/${link}`).set('X-Edit-Key', key).send(tensionAnswer(seed));
    const put = (key: string, seed: number) =>
      request(app).put(`/api/v1/r/${link}`).set('X-Edit-Key', key).send(tensionAnswer(seed));

    // Act: everyone answers at once while the coach reloads the report; then some revise,
    // some resend, and eight change their answer twice at the same moment.
    const first = await Promise.all([
      ...keys.map((key, i) => post(key, i)),
      ...Array.from({ length: 6 }, () => report(roundId)),
    ]);
    const second = await Promise.all([
      ...keys.slice(0, 8).flatMap((key, i) => [put(key, 100 + i), post(key, 200 + i)]),
      ...keys.slice(8, 16).map((key, i) => put(key, 300 + i)),
      ...keys.slice(16, 20).map((key, i) => post(key, i)), // the same answer again
      ...Array.from({ length: 4 }, () => report(roundId)),
    ]);

    // Assert: every write was accepted, and the report shows what the stored responses hold.
    expect(first.slice(0, keys.length).every((r) => r.status === 201)).toBe(true);
    expect(second.every((r) => r.status === 200)).toBe(true);
    // By tally, every change was added to the tally, started with the round, as it came: no
    // write had to ask for a recount. By query, there is no tally.
    expect(await tallyState(roundId)).toEqual(expectedTally(keys.length));
    const tallied = await report(roundId);
    expect(tallied.status).toBe(200);
    expect(tallied.body.n).toBe(keys.length);
    for (const itemId of TENSION_ITEMS.slice(0, 3)) {
      const item = (tallied.body.items as { itemId: string; histogram: number[] }[]).find(
        (i) => i.itemId === itemId,
      );
      expect(item?.histogram).toEqual(await storedHistogram(roundId, itemId));
    }
    expect((await recounted(roundId)).body).toEqual(tallied.body);
    const { teamId } = (
      await request(app).get(`/api/v1/rounds/${roundId}`).set(bearer(coach.token))
    ).body as { teamId: string };
    const listed = await request(app)
      .get(`/api/v1/rounds?teamId=${teamId}`)
      .set(bearer(coach.token));
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: roundId, responseCount: keys.length }),
    ]);
  });
});

describe("counting by tally: a round's tally", () => {
  countingAs(FERRETDB_CAPABILITIES);

  it('is counted from the responses when a round has none yet (answers stored before tallies)', async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      expect((await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed))).status).toBe(
        201,
      );
    }
    await tallies().deleteOne({ _id: roundId });

    const first = await report(roundId);
    const again = await report(roundId);

    expect(first.body.n).toBe(3);
    expect(again.body).toEqual(first.body);
    expect(await tallyState(roundId)).toEqual(clean(3));
    const compared = await request(app)
      .get(`/api/v1/reports/compare?rounds=${roundId}`)
      .set(bearer(coach.token));
    expect(compared.body.teams[0].n).toBe(3);
  });

  it('is counted again when a write stopped half-way, once its mark is older than a minute', async () => {
    // Arrange: three answers, then what a process that died mid-write leaves: a response
    // stored and the write's mark in the tally, but its change never added.
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed));
    }
    await storeLikeAnotherProcess(roundId);
    await tallies().updateOne({ _id: roundId }, { $set: { 'pending.lost-write': now } });

    // Act + assert: while the mark is young the write may still finish, so the tally is read
    // as it is; once it is older than STALE_WRITE_MS, the round is counted again.
    expect((await report(roundId)).body.n).toBe(3);
    expect(await tallyState(roundId)).toEqual({ ...clean(3), pending: { 'lost-write': now } });
    now = new Date(FIXED_NOW.getTime() + STALE_WRITE_MS);
    const repaired = await report(roundId);
    expect(repaired.body.n).toBe(4);
    expect(await tallyState(roundId)).toEqual(clean(4));
    expect(repaired.body).toEqual((await recounted(roundId)).body);
  });

  it('is counted again at the next read when a write stored its response but not its change', async () => {
    // Arrange: a counted round whose tally the next write cannot update (a number that is
    // not one makes its $inc fail, after the response is stored).
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed));
    }
    expect((await report(roundId)).body.n).toBe(3);
    await tallies().updateOne({ _id: roundId }, { $set: { n: 'not a number' as never } });

    // Act: a fourth answer; its response is stored, its change to the tally fails.
    const fourth = await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(4));

    // Assert: the respondent is answered, and the next report counts all four.
    expect(fourth.status).toBe(201);
    const after = await report(roundId);
    expect(after.body.n).toBe(4);
    expect(after.body).toEqual((await recounted(roundId)).body);
  });

  it('gets stored by its first recount even while answers keep coming in', async () => {
    // Arrange: a round with answers but no tally (as from before tallies existed).
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed));
    }
    await tallies().deleteOne({ _id: roundId });

    // Act: the coach opens the report while ten more people answer.
    const [first, ...answers] = await Promise.all([
      report(roundId),
      ...Array.from({ length: 10 }, (_, i) =>
        request(app)
          .post(`/api/v1/r/${link}`)
          .send(tensionAnswer(10 + i)),
      ),
    ]);

    // Assert: the recount was stored and the answers were added to it, with no recount
    // left to do; the report shows all thirteen.
    expect(first.status).toBe(200);
    expect(answers.every((r) => r.status === 201)).toBe(true);
    expect(await tallyState(roundId)).toEqual(clean(13));
    expect((await report(roundId)).body).toEqual((await recounted(roundId)).body);
  });

  it('keeps the mark of a write under way elsewhere through a recount, until that write ends', async () => {
    // Arrange: a counted round; another process has marked a write as under way, and this
    // round must be counted again (say a write here failed).
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed));
    }
    await tallies().updateOne(
      { _id: roundId },
      { $set: { 'pending.elsewhere': now, recount: true } },
    );

    // Act: a report recounts; only then does the other process store its response, and it
    // dies before it can say so.
    expect((await report(roundId)).body.n).toBe(3);
    await storeLikeAnotherProcess(roundId);

    // Assert: its mark survived the recount, so once it is old the round is counted again
    // and the fourth response appears.
    expect(await tallyState(roundId)).toEqual({ ...clean(3), superseded: { elsewhere: now } });
    now = new Date(FIXED_NOW.getTime() + STALE_WRITE_MS);
    const repaired = await report(roundId);
    expect(repaired.body.n).toBe(4);
    expect(await tallyState(roundId)).toEqual(clean(4));
  });

  it('is counted again when it holds a cell that cannot be read', async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(1));
    await tallies().updateOne({ _id: roundId }, { $set: { 'cells.not a cell': 1 } });

    const res = await report(roundId);

    expect(res.status).toBe(200);
    expect(res.body.n).toBe(1);
    expect(await tallyState(roundId)).toEqual(clean(1));
  });
});

describe('a database that moves between the two ways of counting', () => {
  countingAs(FERRETDB_CAPABILITIES);

  it('loses its tallies to counting by query, so that a later move back counts afresh', async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    const answer = (on: Express, seed: number) =>
      request(on).post(`/api/v1/r/${link}`).send(tensionAnswer(seed));
    for (const seed of [1, 2, 3]) expect((await answer(app, seed)).status).toBe(201);
    expect(await tallyState(roundId)).toEqual(clean(3));
    const byQuery = buildTestApp(db.conn, { clock: () => now, capabilities: MONGODB_CAPABILITIES });

    // Served by a server with indexes (a restored dump, say), one more answer comes in.
    expect((await answer(byQuery, 4)).status).toBe(201);
    const counted = await request(byQuery)
      .get(`/api/v1/rounds/${roundId}/report`)
      .set(bearer(coach.token));

    expect(counted.body.n).toBe(4);
    expect(await tallyState(roundId)).toBeNull();
    // And back to counting by tally: no tally that missed the fourth answer is left to trust.
    expect((await report(roundId)).body).toEqual(counted.body);
  });
});
