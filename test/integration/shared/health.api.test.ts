import request from 'supertest';
import { buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { freePort } from '../../support/ports';
import {
  closeDatabase,
  connectWithRetry,
  createDatabaseConnection,
} from '../../../src/shared/db/connect';
import { createLifecycle } from '../../../src/shared/lifecycle';
import { createLogger } from '../../../src/shared/logging';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

describe('GET /healthz', () => {
  it('answers 200 while the process runs, without caching', async () => {
    const res = await request(buildTestApp(db.conn)).get('/healthz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /readyz', () => {
  it('when the database answers a ping, answers 200 ready', async () => {
    const res = await request(buildTestApp(db.conn)).get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('when shutdown has begun, answers 503 so the load balancer stops sending traffic', async () => {
    const lifecycle = createLifecycle();
    const app = buildTestApp(db.conn, { lifecycle });
    lifecycle.beginShutdown();

    const res = await request(app).get('/readyz');

    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', reason: 'shutting-down' });
    expect(res.headers.connection).toBe('close');
  });

  it('when the database cannot be reached, answers 503 quickly while /healthz stays 200', async () => {
    // Arrange: a connection that keeps retrying a port where nothing listens.
    const deadPort = await freePort();
    const conn = createDatabaseConnection();
    const retry = connectWithRetry(conn, `mongodb://127.0.0.1:${deadPort}/x`, {
      timeoutMs: 500,
      logger: createLogger({ level: 'silent' }),
    });
    const app = buildTestApp(conn);

    try {
      // Act
      const ready = await request(app).get('/readyz');
      const health = await request(app).get('/healthz');

      // Assert
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toEqual({ status: 'unavailable', reason: 'database' });
      expect(health.status).toBe(200);
    } finally {
      retry.stop();
      expect(await retry.connected).toBe(false);
      await closeDatabase(conn);
    }
  });
});
