import express from 'express';
import request from 'supertest';
import { buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { type createLogger } from '../../../src/shared/logging';
import { memoryLog } from '../../support/log';
import { requestLogger } from '../../../src/shared/http/request-logger';
import { VIEWS_DIR } from '../../../src/paths';
import { createViewEngine } from '../../../src/shared/views/engine';
import { createHelpers } from '../../../src/shared/views/helpers';
import { apiErrorHandler, pageErrorHandler } from '../../../src/shared/http/error-handlers';

/** A tiny app with a route that has a bug, served through the real error handlers. */
function appWithBug(logger: ReturnType<typeof createLogger>) {
  const app = express();
  app.engine('hbs', createViewEngine({ viewsDir: VIEWS_DIR, helpers: createHelpers(() => '/x') }));
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'hbs');
  app.use(requestLogger(logger));
  const bug = () => {
    throw new Error('secret internal detail at db.collection');
  };
  app.get('/api/v1/bug', bug);
  app.use('/api/v1', apiErrorHandler);
  app.get('/bug', bug);
  app.use(pageErrorHandler);
  return app;
}

describe('a bug in a handler', () => {
  it('answers the API with 500 INTERNAL and a generic message, and logs the stack', async () => {
    const log = memoryLog();
    const res = await request(appWithBug(log.logger))
      .get('/api/v1/bug')
      .set('X-Request-Id', 'req-1');

    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong.', requestId: 'req-1' },
    });
    expect(res.text).not.toContain('secret internal detail');
    const logged = log.lines.find((l) => l.level === 50) as { err?: { stack?: string } };
    expect(logged.err?.stack).toContain('secret internal detail');
  });

  it('renders the error page with status 500 and the request id, without the detail', async () => {
    const res = await request(appWithBug(memoryLog().logger))
      .get('/bug')
      .set('X-Request-Id', 'req-1');

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).toContain('req-1');
    expect(res.text).not.toContain('secret internal detail');
    expect(res.text).not.toMatch(/at \w+ \(/);
  });
});

describe('request logs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.drop());

  it('redact credentials and cookies, and never contain the body or the query string', async () => {
    const log = memoryLog();
    const app = buildTestApp(db.conn, { logger: log.logger });

    await request(app)
      .post('/api/v1/anything?token=query-secret')
      .set('Authorization', 'Bearer token-secret')
      .set('Cookie', 'sid=cookie-secret')
      .send({ answer: 'body-secret' });

    const text = JSON.stringify(log.lines);
    expect(log.lines.some((l) => l.msg === 'request completed')).toBe(true);
    for (const secret of ['token-secret', 'cookie-secret', 'body-secret', 'query-secret']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs client errors at warn with the request id, method and path', async () => {
    const log = memoryLog();
    const res = await request(buildTestApp(db.conn, { logger: log.logger })).get('/api/v1/nope');

    const line = log.lines.find((l) => l.msg === 'request completed') as {
      level: number;
      req: { id: string; method: string; path: string };
    };
    expect(line.level).toBe(40);
    expect(line.req).toEqual({
      id: res.headers['x-request-id'],
      method: 'GET',
      path: '/api/v1/nope',
    });
  });
});
