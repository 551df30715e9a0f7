import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { env: { BODY_LIMIT: '1kb' } });
});
afterAll(() => db.drop());

const ERROR_SHAPE = {
  error: {
    code: expect.stringMatching(/^[A-Z_]+$/),
    message: expect.any(String),
    requestId: expect.any(String),
  },
};

describe('the /api/v1 error model', () => {
  it('when no route matches, answers 404 JSON with ROUTE_NOT_FOUND and the request id', async () => {
    const res = await request(app).get('/api/v1/no-such-thing');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(ERROR_SHAPE);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('when the JSON body is larger than BODY_LIMIT, answers 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(app)
      .post('/api/v1/anything')
      .send({ text: 'x'.repeat(2048) });

    expect(res.status).toBe(413);
    expect(res.body).toEqual(ERROR_SHAPE);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('when the JSON is malformed, answers 400 MALFORMED_BODY without echoing parser internals', async () => {
    const res = await request(app)
      .post('/api/v1/anything')
      .set('Content-Type', 'application/json')
      .send('{"a": ');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_BODY');
    expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON|node_modules/);
  });

  it('when the body has an unsupported charset, answers 415', async () => {
    const res = await request(app)
      .post('/api/v1/anything')
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{}');

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_ENCODING');
  });
});

describe('request ids', () => {
  it('echoes a safe incoming X-Request-Id', async () => {
    const res = await request(app).get('/api/v1/x').set('X-Request-Id', 'trace-42');
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(res.body.error.requestId).toBe('trace-42');
  });

  it('replaces an unsafe incoming id with a fresh one', async () => {
    const res = await request(app).get('/api/v1/x').set('X-Request-Id', '<b>evil</b>');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives each request its own id', async () => {
    const [a, b] = await Promise.all([request(app).get('/healthz'), request(app).get('/healthz')]);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy without inline scripts, and no X-Powered-By', async () => {
    const res = await request(app).get('/');

    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('when SECURE_COOKIES says HTTPS, adds HSTS and upgrade-insecure-requests', async () => {
    const https = buildTestApp(db.conn, { env: { SECURE_COOKIES: 'true' } });
    const res = await request(https).get('/');

    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
