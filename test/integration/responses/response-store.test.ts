import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import {
  FERRETDB_CAPABILITIES,
  MONGODB_CAPABILITIES,
  type DatabaseCapabilities,
} from '../../../src/shared/db/capabilities';
import { createLifecycle, type Lifecycle } from '../../../src/shared/lifecycle';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { bearer } from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDcfAnswer, TENSION_ITEMS } from '../../support/factories';
import { countStoredResponses, storedResponses, type RawResponse } from '../../support/responses';

/**
 * The responses store keeps a round's responses where the server finds them fast: all in one
 * collection, by index, on a server whose queries use indexes; each round's in a collection of
 * its own where they do not (responses/response.store.ts). Both layouts run here, on the test
 * database, whatever server it is: whatever the order of writes and reads, a report shows what
 * the stored responses hold, and a database moved from one layout to the other keeps counting
 * right.
 */
let db: TestDatabase;
let coach: Awaited<ReturnType<typeof apiSignup>>;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

/** Every app process made here, to stop them (their counts written now, not a second later). */
const running: Lifecycle[] = [];

/** An app process on the test database, as on a server with `capabilities`. */
const appServedAs = (
  capabilities: DatabaseCapabilities,
  lifecycle: Lifecycle = createLifecycle(),
) => {
  running.push(lifecycle);
  return buildTestApp(db.conn, { clock: () => FIXED_NOW, capabilities, lifecycle });
};

/**
 * Stops the app processes made so far: a process of an earlier test must not write its counts
 * in the middle of a later one (a move drops those counts and checks that they are gone).
 */
const stopEarlierApps = async () => {
  for (const lifecycle of running.splice(0)) await lifecycle.runStopTasks();
};

type CountsDoc = { _id: string; n: number; dirty: boolean };
const countsOf = (roundId: string) =>
  db.conn.collection<CountsDoc>('response_counts').findOne({ _id: roundId });

const collectionNames = async () =>
  (await db.conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);

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

const reportOn = (app: Express, roundId: string) =>
  request(app).get(`/api/v1/rounds/${roundId}/report`).set(bearer(coach.token));

/** The histogram of an item, counted by this test from the stored responses themselves. */
function histogramOf(stored: readonly RawResponse[], itemId: string): number[] {
  const histogram = [0, 0, 0, 0, 0, 0, 0];
  for (const doc of stored) {
    const value = doc.answers.find((a) => a.itemId === itemId)?.value;
    if (value) histogram[value - 1]! += 1;
  }
  return histogram;
}

describe.each([
  ['shared', MONGODB_CAPABILITIES, (_roundId: string): string => 'responses'],
  ['per-round', FERRETDB_CAPABILITIES, (roundId: string): string => `responses.${roundId}`],
] as const)('the %s layout', (_layout, capabilities, collectionOfRound) => {
  let app: Express;
  beforeAll(() => {
    app = appServedAs(capabilities);
  });
  beforeEach(async () => {
    coach = await apiSignup(app);
  });

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
      ...Array.from({ length: 6 }, () => reportOn(app, roundId)),
    ]);
    const second = await Promise.all([
      ...keys.slice(0, 8).flatMap((key, i) => [put(key, 100 + i), post(key, 200 + i)]),
      ...keys.slice(8, 16).map((key, i) => put(key, 300 + i)),
      ...keys.slice(16, 20).map((key, i) => post(key, i)), // the same answer again
      ...Array.from({ length: 4 }, () => reportOn(app, roundId)),
    ]);

    // Assert: every write was accepted; the round's responses are where the layout keeps
    // them, one per key; the report and the round list show what they hold.
    expect(first.slice(0, keys.length).every((r) => r.status === 201)).toBe(true);
    expect(second.every((r) => r.status === 200)).toBe(true);
    const stored = await storedResponses(db.conn, roundId);
    expect(stored).toHaveLength(keys.length);
    expect(await db.conn.collection(collectionOfRound(roundId)).countDocuments({ roundId })).toBe(
      keys.length,
    );
    const report = await reportOn(app, roundId);
    expect(report.status).toBe(200);
    expect(report.body.n).toBe(keys.length);
    for (const itemId of TENSION_ITEMS.slice(0, 3)) {
      const item = (report.body.items as { itemId: string; histogram: number[] }[]).find(
        (i) => i.itemId === itemId,
      );
      expect(item?.histogram).toEqual(histogramOf(stored, itemId));
    }
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

  it("keeps one response per respondent key and round with a unique index on the round's collection", async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    expect((await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(1))).status).toBe(201);

    const indexes = await db.conn.collection(collectionOfRound(roundId)).indexes();

    expect(indexes).toContainEqual(
      expect.objectContaining({ key: { roundId: 1, editKeyHash: 1 }, unique: true }),
    );
  });
});

describe("the per-round layout's counts, kept in the process and written a second later", () => {
  const answerThree = async (app: Express) => {
    coach = await apiSignup(app);
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      expect((await request(app).post(`/api/v1/r/${link}`).send(tensionAnswer(seed))).status).toBe(
        201,
      );
    }
    return roundId;
  };

  it('are written clean when the process stops, and the next process reads them as they are', async () => {
    const lifecycle = createLifecycle();
    const roundId = await answerThree(appServedAs(FERRETDB_CAPABILITIES, lifecycle));
    // Marked while answers come in: a stop now would leave them to be counted again.
    expect(await countsOf(roundId)).toMatchObject({ dirty: true });

    await lifecycle.runStopTasks();

    expect(await countsOf(roundId)).toMatchObject({ n: 3, dirty: false });
    const next = await reportOn(appServedAs(FERRETDB_CAPABILITIES), roundId);
    expect(next.body.n).toBe(3);
  });

  it('are counted again from the responses when a process stopped before writing them', async () => {
    const lifecycle = createLifecycle();
    const roundId = await answerThree(appServedAs(FERRETDB_CAPABILITIES, lifecycle));
    await lifecycle.runStopTasks();
    // What a process that stopped after storing its answers, before writing their counts,
    // leaves: the mark it set before the first answer, and the counts from before them.
    await db.conn
      .collection<CountsDoc>('response_counts')
      .updateOne({ _id: roundId }, { $set: { n: 0, cells: {}, dirty: true } });

    const report = await reportOn(appServedAs(FERRETDB_CAPABILITIES), roundId);

    expect(report.body.n).toBe(3);
    expect(await countsOf(roundId)).toMatchObject({ n: 3, dirty: false });
    const stored = await storedResponses(db.conn, roundId);
    const item = (report.body.items as { itemId: string; histogram: number[] }[])[0]!;
    expect(item.histogram).toEqual(histogramOf(stored, item.itemId));
  });
});

describe("the per-round layout's free texts, read once and kept by the writes", () => {
  const sentence = aDcfAnswer;
  const commentsOf = async (app: Express, roundId: string) => {
    const res = await reportOn(app, roundId);
    const item = (res.body.items as { itemId: string; comments?: { text: string }[] }[]).find(
      (i) => i.itemId === 'effort-in-one-sentence',
    );
    return (item?.comments ?? []).map((c) => c.text).sort();
  };

  it('show each revision and each new answer, as a new process reading them afresh does', async () => {
    const app = appServedAs(FERRETDB_CAPABILITIES);
    coach = await apiSignup(app);
    const { link, roundId } = await anOpenRound(app, coach.token);
    const keys = [newKey(), newKey(), newKey()];
    for (const [i, key] of keys.entries()) {
      const res = await request(app)
        .post(`/api/v1/r/${link}`)
        .set('X-Edit-Key', key)
        .send(sentence(`First ${i}`));
      expect(res.status).toBe(201);
    }
    expect(await commentsOf(app, roundId)).toEqual(['First 0', 'First 1', 'First 2']);

    // A revision and a new answer after the texts were read once.
    const revised = await request(app)
      .put(`/api/v1/r/${link}`)
      .set('X-Edit-Key', keys[1]!)
      .send(sentence('Changed 1'));
    expect(revised.status).toBe(200);
    expect((await request(app).post(`/api/v1/r/${link}`).send(sentence('New 3'))).status).toBe(201);

    const expected = ['Changed 1', 'First 0', 'First 2', 'New 3'];
    expect(await commentsOf(app, roundId)).toEqual(expected);
    expect(await commentsOf(appServedAs(FERRETDB_CAPABILITIES), roundId)).toEqual(expected);
  });
});

describe('a database moved between the layouts (a dump restored on another server)', () => {
  beforeEach(stopEarlierApps);

  it('moves its responses when it is prepared, and counts, finds and revises them as before', async () => {
    // Arrange: three answers stored on a server without index use (a collection per round).
    const stopped = createLifecycle();
    const perRound = appServedAs(FERRETDB_CAPABILITIES, stopped);
    coach = await apiSignup(perRound);
    const { link, roundId } = await anOpenRound(perRound, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    const keys = [newKey(), newKey(), newKey()];
    for (const [i, key] of keys.entries()) {
      const res = await request(perRound)
        .post(`/api/v1/r/${link}`)
        .set('X-Edit-Key', key)
        .send(tensionAnswer(i));
      expect(res.status).toBe(201);
    }
    const before = (await reportOn(perRound, roundId)).body as { n: number };
    expect(await collectionNames()).toContain(`responses.${roundId}`);

    // Act 1: that process stops; the database is served by a server with indexes, and the app
    // prepares it at its start.
    await stopped.runStopTasks();
    const shared = appServedAs(MONGODB_CAPABILITIES);
    const moved = await reportOn(shared, roundId);

    // Assert 1: the same report, every response in the one collection, none left behind, and
    // no counts kept (they would not follow this layout's writes).
    expect(moved.body).toEqual(before);
    expect(await collectionNames()).not.toContain(`responses.${roundId}`);
    expect(await collectionNames()).not.toContain('response_counts');
    expect(await db.conn.collection('responses').countDocuments({ roundId })).toBe(3);
    const revised = await request(shared)
      .put(`/api/v1/r/${link}`)
      .set('X-Edit-Key', keys[0]!)
      .send(tensionAnswer(7));
    expect(revised.status).toBe(200);
    expect((await request(shared).post(`/api/v1/r/${link}`).send(tensionAnswer(8))).status).toBe(
      201,
    );

    // Act 2: and back, on a server without index use.
    const back = appServedAs(FERRETDB_CAPABILITIES);
    const report = await reportOn(back, roundId);

    // Assert 2: four responses, the revision kept, all in the round's own collection again.
    expect(report.body.n).toBe(4);
    expect(await db.conn.collection(`responses.${roundId}`).countDocuments()).toBe(4);
    expect(await collectionNames()).not.toContain('responses');
    const own = await request(back).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', keys[0]!);
    expect(own.status).toBe(200);
    expect(own.body.answers).toEqual(expect.arrayContaining(tensionAnswer(7).answers));
    expect(await countStoredResponses(db.conn, roundId)).toBe(4);
  });

  it('finishes a move cut short: responses already copied are not stored twice', async () => {
    const shared = appServedAs(MONGODB_CAPABILITIES);
    coach = await apiSignup(shared);
    const { link, roundId } = await anOpenRound(shared, coach.token, {
      slug: 'tensions-in-how-we-work',
    });
    for (const seed of [1, 2, 3]) {
      expect(
        (await request(shared).post(`/api/v1/r/${link}`).send(tensionAnswer(seed))).status,
      ).toBe(201);
    }
    // A move that copied one response into the round's collection, then stopped.
    const copied = await db.conn.collection('responses').findOne({ roundId });
    await db.conn.collection(`responses.${roundId}`).insertOne(copied!);

    const report = await reportOn(appServedAs(FERRETDB_CAPABILITIES), roundId);

    expect(report.body.n).toBe(3);
    expect(await countStoredResponses(db.conn, roundId)).toBe(3);
  });

  it('drops the counts that earlier versions kept beside the responses', async () => {
    await db.conn.collection('response_tallies').insertOne({ _id: 'old' as never, n: 3 });

    coach = await apiSignup(appServedAs(FERRETDB_CAPABILITIES));

    expect(await collectionNames()).not.toContain('response_tallies');
  });
});
