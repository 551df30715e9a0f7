import express from 'express';
import request from 'supertest';
import type { Actor } from '../../../src/features/workspaces';
import { apiErrorHandler } from '../../../src/shared/http/error-handlers';
import { requestLogger } from '../../../src/shared/http/request-logger';
import { memoryLog } from '../../support/log';
import { thingsApi, type ThingsState } from '../../support/things-api';

/**
 * route() at work, on the small API of test/support/things-api.ts served through the real
 * error handler and request log. No database: the actor an API token would give is put in
 * place by the `X-Test-Role` header (token authentication itself is tested with real tokens
 * in accounts/api-access.api.test.ts); what is tested here is route()'s guard.
 */
function thingsApp(state: ThingsState) {
  const log = memoryLog();
  const api = thingsApi(state);
  const app = express();
  app.use(requestLogger(log.logger));
  app.use(express.json());
  app.use((req, res, next) => {
    const role = req.get('x-test-role') as Actor['role'] | undefined;
    if (role) res.locals.actor = { userId: 'u1', workspaceId: 'w1', role, via: 'token' };
    next();
  });
  app.use('/api/v1', api.withoutDatabase, api.router, apiErrorHandler);
  return { app, log };
}

const aThing = { id: 'abcd', name: 'Kettle', owner: { name: 'Ann' } };

let state: ThingsState;
let app: express.Express;
let log: ReturnType<typeof memoryLog>;
beforeEach(() => {
  state = { answer: aThing, calls: 0 };
  ({ app, log } = thingsApp(state));
});

describe('route() answers through the response schema', () => {
  it('drops fields the schema does not know, nested ones too, and sends the rest', async () => {
    state.answer = { ...aThing, passwordHash: 'hash-secret', owner: { name: 'Ann', email: 'a@x' } };

    const res = await request(app).get('/api/v1/things/abcd');

    expect(res.status).toBe(200);
    expect(res.body).toEqual(aThing);
    expect(res.text).not.toContain('hash-secret');
    expect(res.text).not.toContain('a@x');
  });

  it('answers 500 INTERNAL to an answer that does not fit, sends none of it, and logs it', async () => {
    state.answer = { id: 7, name: 'leaked-name', owner: { name: 'Ann' } };

    const res = await request(app).get('/api/v1/things/abcd');

    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      error: { code: 'INTERNAL', message: 'Something went wrong.' },
    });
    expect(res.text).not.toContain('leaked-name');
    const logged = log.lines.find((l) => l.level === 50) as { err?: { message?: string } };
    expect(logged.err?.message).toContain('does not fit its schema Thing');
  });

  it('answers 500 when an unknown field comes with a field that does not fit', async () => {
    state.answer = { ...aThing, name: null, extra: 'leaked-extra' };

    const res = await request(app).get('/api/v1/things/abcd');

    expect(res.status).toBe(500);
    expect(res.text).not.toContain('leaked-extra');
  });

  it('answers the status reply() picks, through that status’s schema', async () => {
    state.answer = { status: 200, body: { ...aThing, extra: 1 } };
    const ok = await request(app).post('/api/v1/things/abcd/touch').set('X-Test-Role', 'viewer');
    state.answer = { status: 202 };
    const later = await request(app).post('/api/v1/things/abcd/touch').set('X-Test-Role', 'viewer');

    expect([ok.status, ok.body]).toEqual([200, aThing]);
    expect([later.status, later.text]).toEqual([202, '']);
  });

  it('answers 500 to reply() with a status the operation does not declare, and logs it', async () => {
    state.answer = { status: 201, body: aThing };

    const res = await request(app).post('/api/v1/things/abcd/touch').set('X-Test-Role', 'viewer');

    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(res.text).not.toContain('Kettle');
    const logged = log.lines.find((l) => l.level === 50) as { err?: { message?: string } };
    expect(logged.err?.message).toContain('undeclared 201');
  });

  it('answers a status without a body (204) with no body at all', async () => {
    state.answer = undefined;

    const res = await request(app).delete('/api/v1/things/abcd').set('X-Test-Role', 'coach');

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect(state.calls).toBe(1);
  });

  it('answers 500 when a handler returns a body for a status without one', async () => {
    state.answer = { status: 202, body: aThing };

    const res = await request(app).post('/api/v1/things/abcd/touch').set('X-Test-Role', 'viewer');

    expect(res.status).toBe(500);
    expect(res.text).not.toContain('Kettle');
  });
});

describe('route() validates the request before its handler runs', () => {
  const validationFailed = (res: request.Response, path: string) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path }) as unknown],
      },
    });
    expect(state.calls).toBe(0);
  };

  it('answers 400 VALIDATION_FAILED to a bad path parameter', async () => {
    validationFailed(await request(app).get('/api/v1/things/ZZZZ'), 'thingId');
  });

  it('answers 400 VALIDATION_FAILED to a bad or unknown query parameter', async () => {
    validationFailed(await request(app).get('/api/v1/things/abcd?limit=99'), 'limit');
    validationFailed(await request(app).get('/api/v1/things/abcd?sort=name'), '(root)');
  });

  it('hands the handler the parsed body', async () => {
    await request(app).post('/api/v1/things').set('X-Test-Role', 'coach').send({ name: 'Pot' });

    expect(state.received).toEqual({ params: undefined, query: undefined, body: { name: 'Pot' } });
  });

  it('hands the handler the parsed params and query (a number, not the text sent)', async () => {
    await request(app).get('/api/v1/things/abcd?limit=3');

    expect(state.received).toEqual({
      params: { thingId: 'abcd' },
      query: { limit: 3 },
      body: undefined,
    });
  });

  it('answers 400 VALIDATION_FAILED to a bad body or one with unknown fields', async () => {
    const coach = { 'X-Test-Role': 'coach' };
    validationFailed(
      await request(app).post('/api/v1/things').set(coach).send({ name: '' }),
      'name',
    );
    validationFailed(
      await request(app).post('/api/v1/things').set(coach).send({ name: 'a', $where: '1' }),
      '(root)',
    );
  });
});

describe('route() enforces access', () => {
  /** A coach's operation, called with the role a token would give (none: no token). */
  const createAs = (role?: string) => {
    const call = request(app).post('/api/v1/things');
    return (role ? call.set('X-Test-Role', role) : call).send({ name: 'Kettle' });
  };

  it.each([
    ['without a token', undefined, 401, 'UNAUTHENTICATED'],
    ['with a viewer’s token', 'viewer', 403, 'FORBIDDEN'],
  ])('answers a coach’s operation %s with %i %s', async (_case, role, status, code) => {
    const res = await createAs(role);

    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: { code } });
    expect(state.calls).toBe(0);
  });

  it('lets a coach in, and a public operation anyone', async () => {
    const coach = await createAs('coach');
    const anyone = await request(app).get('/api/v1/things/abcd');

    expect([coach.status, anyone.status]).toEqual([201, 200]);
  });
});
