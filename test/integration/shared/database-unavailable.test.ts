import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { freePort } from '../../support/ports';
import {
  closeDatabase,
  connectWithRetry,
  createDatabaseConnection,
  type Connection,
} from '../../../src/shared/db/connect';
import { createLogger } from '../../../src/shared/logging';

/**
 * Database-backed routes while the database cannot be reached: a clear 503 with Retry-After,
 * in the format of the door that was used, instead of a hang or a 500.
 */
let conn: Connection;
let retry: ReturnType<typeof connectWithRetry>;
let app: Express;

beforeAll(async () => {
  conn = createDatabaseConnection();
  retry = connectWithRetry(conn, `mongodb://127.0.0.1:${await freePort()}/x`, {
    timeoutMs: 500,
    logger: createLogger({ level: 'silent' }),
  });
  app = buildTestApp(conn);
});
afterAll(async () => {
  retry.stop();
  await retry.connected;
  await closeDatabase(conn);
});

describe('when the database is unreachable', () => {
  it('an API route answers 503 DATABASE_UNAVAILABLE with Retry-After', async () => {
    const res = await request(app).get('/api/v1/questionnaires');

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringContaining('Try again'),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Mongo|ECONNREFUSED|127\.0\.0\.1/);
  });

  it('a page answers with the 503 error page', async () => {
    const res = await request(app).get('/questionnaires');

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).toContain('Temporarily unavailable');
    expect(res.text).not.toMatch(/Mongo|ECONNREFUSED/);
  });

  it('routes that need no database keep working', async () => {
    expect((await request(app).get('/api/v1/questionnaires/schema.json')).status).toBe(200);
    expect((await request(app).post('/api/v1/questionnaires/validate').send({})).status).toBe(200);
    expect((await request(app).get('/')).status).toBe(200);
  });
});
