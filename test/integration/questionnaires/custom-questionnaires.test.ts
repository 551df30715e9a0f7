import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { bearer, signedInAgent, submitForm } from '../../support/auth';
import { apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDefinition } from '../../support/factories';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
});
afterAll(() => db.drop());

describe('POST /api/v1/questionnaires', () => {
  it('stores a workspace questionnaire (201), which only that workspace sees', async () => {
    const coach = await apiSignup(app);
    const other = await apiSignup(app);

    const res = await request(app)
      .post('/api/v1/questionnaires')
      .set(bearer(coach.token))
      .send(aDefinition({ slug: 'our-own', version: undefined }));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'created', builtin: false, versions: [1] });
    const mine = await request(app).get('/api/v1/questionnaires').set(bearer(coach.token));
    const theirs = await request(app).get('/api/v1/questionnaires').set(bearer(other.token));
    const anonymous = await request(app).get('/api/v1/questionnaires');
    expect(mine.body.items.map((i: { slug: string }) => i.slug)).toContain('our-own');
    expect(theirs.body.items.map((i: { slug: string }) => i.slug)).not.toContain('our-own');
    expect(anonymous.body.items).toHaveLength(4);
    expect(
      (await request(app).get('/api/v1/questionnaires/our-own').set(bearer(other.token))).status,
    ).toBe(404);
  });

  it('answers 200 "unchanged" for the same definition and 400 with every problem for a broken one', async () => {
    const coach = await apiSignup(app);
    const post = (body: object) =>
      request(app).post('/api/v1/questionnaires').set(bearer(coach.token)).send(body);
    await post(aDefinition({ slug: 'twice' }));

    expect((await post(aDefinition({ slug: 'twice' }))).body.outcome).toBe('unchanged');
    const broken = await post({ ...aDefinition({ slug: 'broken', title: '' }), sections: [] });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'title',
      'sections',
      'dimensions.0.key',
    ]);
  });
});

describe('the upload page', () => {
  it('saves a pasted definition and shows it in the library', async () => {
    const { agent } = await signedInAgent(app);
    const res = await submitForm(agent, '/questionnaires/new', '/questionnaires/new', {
      definition: JSON.stringify(aDefinition({ slug: 'pasted', title: 'Pasted one' })),
    });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/questionnaires/pasted?version=1');
    expect((await agent.get('/questionnaires')).text).toContain('Pasted one');
    expect((await agent.get('/questionnaires/pasted')).text).toContain(
      'Your workspace · version 1',
    );
  });

  it('keeps the text and lists every problem with its path inside the JSON', async () => {
    const { agent } = await signedInAgent(app);
    const text = JSON.stringify({ ...aDefinition({ slug: 'Bad Slug' }), extra: '<b>x</b>' });
    const before = await db.conn.collection('questionnaires').countDocuments();

    const res = await submitForm(agent, '/questionnaires/new', '/questionnaires/new', {
      definition: text,
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('slug: A slug uses lower-case letters');
    expect(res.text).toContain('(root): This field is not known here: extra. Leave it out.');
    expect(res.text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(await db.conn.collection('questionnaires').countDocuments()).toBe(before);
  });

  it('says so when the text is not JSON', async () => {
    const { agent } = await signedInAgent(app);
    const res = await submitForm(agent, '/questionnaires/new', '/questionnaires/new', {
      definition: '{ nope',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('This is not valid JSON.');
  });
});
