import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { buildTestApp } from '../../support/app';
import { bearer } from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import { testEmbeddedKind } from '../../support/db';
import { aDcfAnswer } from '../../support/factories';
import { freePort, waitFor } from '../../support/ports';
import {
  closeDatabase,
  connectWithRetry,
  createDatabaseConnection,
  isDatabaseUnavailableError,
} from '../../../src/shared/db/connect';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '../../../src/shared/db/embedded-server';
import { createLogger } from '../../../src/shared/logging';
import { countStoredResponses } from '../../support/responses';

/**
 * A database server of this test's own, stopped and started again on the same port and data
 * folder, with the app connected throughout: what an operator restarting MongoDB does.
 */
const logger = createLogger({ level: 'silent' });
let dataDir: string;
let port: number;
const servers: EmbeddedDatabase[] = [];

async function startServer(): Promise<EmbeddedDatabase> {
  const server = await startEmbeddedDatabase({ dataDir, kind: testEmbeddedKind(), logger, port });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-recovery-'));
  port = await freePort();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

describe('when the database goes away and comes back', () => {
  it('answers 503 meanwhile, recovers without a restart of the app, and keeps the data', async () => {
    // Arrange: app connected to a running server, one document written.
    const first = await startServer();
    const conn = createDatabaseConnection();
    const connecting = connectWithRetry(conn, first.uri, {
      timeoutMs: 1000,
      dbName: 'recovery',
      logger,
    });
    expect(await connecting.connected).toBe(true);
    const app = buildTestApp(conn);
    await conn.collection('probes').insertOne({ name: 'written before the outage' });
    expect((await request(app).get('/readyz')).status).toBe(200);

    try {
      // Act 1: the database stops.
      await first.stop();

      // Assert 1: not ready, and database operations fail as "unavailable" (→ 503), not hang.
      await waitFor(async () => (await request(app).get('/readyz')).status === 503, {
        what: 'readiness to turn 503',
      });
      const failure: unknown = await conn
        .collection('probes')
        .findOne({})
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(isDatabaseUnavailableError(failure)).toBe(true);

      // Act 2: the database starts again on the same port and data folder.
      await startServer();

      // Assert 2: ready again by itself, with the data written before the outage.
      await waitFor(async () => (await request(app).get('/readyz')).status === 200, {
        what: 'readiness to recover',
      });
      const kept = await conn.collection('probes').findOne({ name: 'written before the outage' });
      expect(kept).not.toBeNull();
    } finally {
      connecting.stop();
      await closeDatabase(conn);
    }
  });
});

describe('when the database stops in the middle of submissions', () => {
  it('loses no acknowledged answer, stores none twice, and recovers without a restart', async () => {
    // Arrange: an app on a database of its own, an open round, and respondents who each keep
    // their own key (X-Edit-Key) and send again with it until they get an answer.
    const first = await startServer();
    const conn = createDatabaseConnection();
    const connecting = connectWithRetry(conn, first.uri, {
      timeoutMs: 1000,
      dbName: 'submissions',
      logger,
    });
    expect(await connecting.connected).toBe(true);
    const app = buildTestApp(conn);
    try {
      const coach = await apiSignup(app);
      const { link, roundId } = await anOpenRound(app, coach.token);
      const keys = Array.from({ length: 30 }, () => randomBytes(32).toString('base64url'));
      const answer = aDcfAnswer('Keep going');
      const submit = (key: string) =>
        request(app).post(`/api/v1/r/${link}`).set('X-Edit-Key', key).send(answer);
      const acknowledged = new Set<string>();
      const statuses: number[] = [];
      const sendAll = async (batch: string[]) => {
        const results = await Promise.all(batch.map(submit));
        results.forEach((res, i) => {
          statuses.push(res.status);
          if (res.status === 201 || res.status === 200) acknowledged.add(batch[i]!);
          else expect(res.status).toBe(503);
        });
      };

      const report = () =>
        request(app).get(`/api/v1/rounds/${roundId}/report`).set(bearer(coach.token));

      // Act: the first ten go through (and are counted in the round's tally); the next ten are
      // in flight while the database stops.
      await sendAll(keys.slice(0, 10));
      expect((await report()).body.n).toBe(10);
      const inFlight = sendAll(keys.slice(10, 20));
      await first.stop();
      await inFlight;
      await sendAll(keys.slice(20, 30)); // while it is down: 503, quickly
      await startServer();
      await waitFor(async () => (await request(app).get('/readyz')).status === 200, {
        what: 'readiness to recover',
      });
      // Everyone who did not get an answer sends again, with the same key.
      await sendAll(keys.filter((k) => !acknowledged.has(k)));

      // Assert: some submissions met the outage; in the end every respondent has exactly one
      // stored response, and the round and its report count each once.
      expect(statuses).toContain(503);
      expect(acknowledged.size).toBe(keys.length);
      const round = await request(app).get(`/api/v1/rounds/${roundId}`).set(bearer(coach.token));
      expect(round.body.responseCount).toBe(keys.length);
      expect((await report()).body.n).toBe(keys.length);
      expect(await countStoredResponses(conn, roundId)).toBe(keys.length);
      for (const key of keys) {
        const own = await request(app).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', key);
        expect(own.status).toBe(200);
      }
    } finally {
      connecting.stop();
      await closeDatabase(conn);
    }
  }, 60_000);
});

describe('when the app starts before its database', () => {
  it('is not ready until the database is up, then becomes ready without a restart', async () => {
    const conn = createDatabaseConnection();
    const connecting = connectWithRetry(conn, `mongodb://127.0.0.1:${port}/`, {
      timeoutMs: 500,
      dbName: 'late',
      logger,
    });
    const app = buildTestApp(conn);
    try {
      expect((await request(app).get('/readyz')).status).toBe(503);

      await startServer();

      expect(await connecting.connected).toBe(true);
      expect((await request(app).get('/readyz')).status).toBe(200);
    } finally {
      connecting.stop();
      await closeDatabase(conn);
    }
  });
});
