import request from 'supertest';
import type { Express } from 'express';
import Ajv2020 from 'ajv/dist/2020';
import {
  QuestionnaireListDto,
  QuestionnaireVersionDto,
  ValidationResultDto,
} from '../../../src/features/questionnaires';
import { ErrorBody } from '../../../src/shared/http/error-body';
import { buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDefinition, aTensionItem } from '../../support/factories';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
});
afterAll(() => db.drop());

const countQuestionnaires = () => db.conn.collection('questionnaires').countDocuments();

describe('GET /api/v1/questionnaires', () => {
  it('lists the four built-in questionnaires in the documented shape', async () => {
    const res = await request(app).get('/api/v1/questionnaires');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = QuestionnaireListDto.parse(res.body);
    expect(body.items.map((i) => i.slug).sort()).toEqual([
      'active-practice',
      'drivers-constraints-floats',
      'operating-maturity',
      'tensions-in-how-we-work',
    ]);
    const tensions = body.items.find((i) => i.slug === 'tensions-in-how-we-work');
    expect(tensions).toMatchObject({ builtin: true, version: 2, itemCounts: { tension: 14 } });
  });

  it('stores each built-in once, however often the library is read', async () => {
    await Promise.all([
      request(app).get('/api/v1/questionnaires'),
      request(app).get('/api/v1/questionnaires'),
    ]);
    expect(await countQuestionnaires()).toBe(4);
  });

  it('with a made-up token answers 401 TOKEN_INVALID: the token is optional, not ignored', async () => {
    const res = await request(app)
      .get('/api/v1/questionnaires')
      .set('Authorization', 'Bearer tl_made-up');

    expect(res.status).toBe(401);
    expect(ErrorBody.parse(res.body).error.code).toBe('TOKEN_INVALID');
  });
});

describe('GET /api/v1/questionnaires/:slug', () => {
  it('returns the latest version with its version history', async () => {
    const res = await request(app).get('/api/v1/questionnaires/operating-maturity');

    expect(res.status).toBe(200);
    const body = QuestionnaireVersionDto.parse(res.body);
    expect(body).toMatchObject({ builtin: true, locked: false, versions: [1], latestVersion: 1 });
    expect(body.definition.slug).toBe('operating-maturity');
    expect(body.definition).not.toHaveProperty('$schema');
  });

  it('returns a given version', async () => {
    const res = await request(app).get(
      '/api/v1/questionnaires/drivers-constraints-floats?version=1',
    );
    expect(res.status).toBe(200);
    expect(res.body.definition.version).toBe(1);
  });

  it.each([
    ['an unknown slug', '/api/v1/questionnaires/no-such-thing', 404, 'QUESTIONNAIRE_NOT_FOUND'],
    [
      'an unknown version',
      '/api/v1/questionnaires/active-practice?version=7',
      404,
      'QUESTIONNAIRE_NOT_FOUND',
    ],
    [
      'a version that is not a number',
      '/api/v1/questionnaires/active-practice?version=abc',
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a repeated version',
      '/api/v1/questionnaires/active-practice?version=1&version=2',
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown query key',
      '/api/v1/questionnaires/active-practice?debug=1',
      400,
      'VALIDATION_FAILED',
    ],
    ['a malformed slug', '/api/v1/questionnaires/Not_A_Slug', 400, 'VALIDATION_FAILED'],
    ['a one-letter slug', '/api/v1/questionnaires/a', 400, 'VALIDATION_FAILED'],
  ])('answers %s with %i %s', async (_case, url, status, code) => {
    const res = await request(app).get(url);

    expect(res.status).toBe(status);
    expect(ErrorBody.parse(res.body).error.code).toBe(code);
  });
});

describe('GET /api/v1/questionnaires/schema.json', () => {
  it('serves a JSON Schema that accepts a valid definition and rejects a broken one', async () => {
    const res = await request(app).get('/api/v1/questionnaires/schema.json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const validate = new Ajv2020({ strict: false }).compile(res.body as object);
    expect(validate(aDefinition())).toBe(true);
    expect(validate({ ...aDefinition(), extra: true })).toBe(false);
  });
});

describe('POST /api/v1/questionnaires/validate', () => {
  it('answers valid: true for a valid definition and stores nothing', async () => {
    const before = await countQuestionnaires();
    const res = await request(app).post('/api/v1/questionnaires/validate').send(aDefinition());

    expect(res.status).toBe(200);
    expect(ValidationResultDto.parse(res.body)).toEqual({ valid: true, errors: [] });
    expect(await countQuestionnaires()).toBe(before);
  });

  it('answers 200 with every error and its path for a broken definition', async () => {
    const broken = aDefinition({
      slug: 'Bad Slug',
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [
            aTensionItem({ left: { label: 'L', good: 'G' } as never }),
            { kind: 'poll' } as never,
          ],
        },
      ],
    });

    const res = await request(app).post('/api/v1/questionnaires/validate').send(broken);

    expect(res.status).toBe(200);
    const body = ValidationResultDto.parse(res.body);
    expect(body.valid).toBe(false);
    expect(body.errors.map((e) => e.path)).toEqual([
      'slug',
      'sections.0.items.0.left.risk',
      'sections.0.items.1.kind',
    ]);
  });

  it('answers valid: false for a body that is not an object', async () => {
    const res = await request(app).post('/api/v1/questionnaires/validate').send([1, 2]);
    expect(res.body).toEqual({
      valid: false,
      errors: [{ path: '(root)', message: 'Give an object with named fields here.' }],
    });
  });

  it('answers 400 MALFORMED_BODY for broken JSON', async () => {
    const res = await request(app)
      .post('/api/v1/questionnaires/validate')
      .set('Content-Type', 'application/json')
      .send('{"slug": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_BODY');
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves the OpenAPI document, which describes the questionnaire routes', async () => {
    const res = await request(app).get('/api/v1/openapi.json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/questionnaires',
        '/questionnaires/{slug}',
        '/questionnaires/validate',
      ]),
    );
  });
});
