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

describe('GET /', () => {
  it('renders the home page in the main layout, saying what Teamlens is', async () => {
    const res = await request(app).get('/');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/^<!doctype html>/);
    expect(res.text).toContain('<title>Team self-assessments · Teamlens</title>');
    expect(res.text).toContain('self-assessment rounds for teams');
    expect(res.text).toContain('<nav aria-label="Main">');
    expect(res.text).not.toMatch(/<script>|\son\w+=/);
  });

  it('links its stylesheet through a fingerprinted URL', async () => {
    const res = await request(app).get('/');
    expect(res.text).toMatch(/href="\/css\/app\.css\?v&#x3D;[0-9a-f]{12}"/);
  });
});

describe('page errors', () => {
  it('when no page matches, renders a friendly 404 page with the request id', async () => {
    const res = await request(app).get('/no/such/page');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain(String(res.headers['x-request-id']));
  });

  it('when a form body is too large, renders a 413 page, not JSON', async () => {
    const res = await request(app)
      .post('/anything')
      .type('form')
      .send({ text: 'x'.repeat(4096) });

    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('larger than this server accepts');
  });

  it('escapes whatever of the request it shows', async () => {
    const res = await request(app).get('/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<script>alert(1)');
  });
});

describe('static files', () => {
  it('serves a fingerprinted asset with a year-long immutable cache', async () => {
    const res = await request(app).get('/css/app.css?v=0123456789ab');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves an unversioned asset with a short cache and an ETag', async () => {
    const res = await request(app).get('/css/app.css');

    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers.etag).toBeDefined();
  });

  it('answers a missing asset with the 404 page', async () => {
    const res = await request(app).get('/css/missing.css');
    expect(res.status).toBe(404);
  });
});
