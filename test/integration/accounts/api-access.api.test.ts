import request from 'supertest';
import type { Express } from 'express';
import { createWorkspacesModule } from '../../../src/features/workspaces';
import { ErrorBody } from '../../../src/shared/http/error-body';
import { FIXED_NOW, buildTestApp, openApiDocumentOf } from '../../support/app';
import { PASSWORD, bearer } from '../../support/auth';
import { apiSignup, apiViewerToken } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { quietPreparation } from '../../support/preparation';

/**
 * Every /api/v1 route that needs an account, held to the rules of issue #4: no token → 401,
 * another workspace's object → 404, a viewer writing → 403, and bad bodies → 400 with nothing
 * stored.
 */
let db: TestDatabase;
let app: Express;
let owner: Awaited<ReturnType<typeof apiSignup>>;
let viewerToken: string;
let outsider: Awaited<ReturnType<typeof apiSignup>>;
let teamId: string;
let roundId: string;
let begunRoundId: string;
let actionId: string;

const COLLECTIONS = [
  'users',
  'workspaces',
  'memberships',
  'teams',
  'rounds',
  'questionnaires',
  'api_tokens',
];
async function counts(): Promise<Record<string, number>> {
  return Object.fromEntries(
    await Promise.all(
      COLLECTIONS.map(async (c) => [c, await db.conn.collection(c).countDocuments()] as const),
    ),
  );
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  owner = await apiSignup(app, { workspaceName: 'Owner workspace' });
  outsider = await apiSignup(app, { workspaceName: 'Outsider workspace' });

  viewerToken = await apiViewerToken(app, db.conn, owner);

  const team = await request(app)
    .post('/api/v1/teams')
    .set(bearer(owner.token))
    .send({ name: 'Blue' });
  teamId = (team.body as { id: string }).id;
  const round = await request(app)
    .post('/api/v1/rounds')
    .set(bearer(owner.token))
    .send({ teamId, questionnaire: { slug: 'active-practice' }, title: 'First round' });
  roundId = (round.body as { id: string }).id;
  // An action needs a round that has begun: a second round, opened.
  const begun = await request(app)
    .post('/api/v1/rounds')
    .set(bearer(owner.token))
    .send({ teamId, questionnaire: { slug: 'active-practice' }, title: 'Begun round' });
  begunRoundId = (begun.body as { id: string }).id;
  await request(app).post(`/api/v1/rounds/${begunRoundId}/open`).set(bearer(owner.token));
  const action = await request(app)
    .post(`/api/v1/teams/${teamId}/actions`)
    .set(bearer(owner.token))
    .send({ sourceRoundId: begunRoundId, title: 'Try pairing' });
  actionId = (action.body as { id: string }).id;
  if (!actionId) throw new Error(`no action: ${JSON.stringify(action.body)}`);
});
afterAll(() => db.drop());

type Route = {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: () => string;
  body?: () => object;
  write: boolean;
};
const ROUTES: Record<string, Route> = {
  'GET /auth/me': { method: 'get', path: () => '/api/v1/auth/me', write: false },
  'GET /teams': { method: 'get', path: () => '/api/v1/teams', write: false },
  'POST /teams': {
    method: 'post',
    path: () => '/api/v1/teams',
    body: () => ({ name: 'New' }),
    write: true,
  },
  'GET /teams/:id': { method: 'get', path: () => `/api/v1/teams/${teamId}`, write: false },
  'PATCH /teams/:id': {
    method: 'patch',
    path: () => `/api/v1/teams/${teamId}`,
    body: () => ({ name: 'Renamed' }),
    write: true,
  },
  'GET /rounds': { method: 'get', path: () => '/api/v1/rounds', write: false },
  'POST /rounds': {
    method: 'post',
    path: () => '/api/v1/rounds',
    body: () => ({ teamId, questionnaire: { slug: 'active-practice' }, title: 'R' }),
    write: true,
  },
  'GET /rounds/:id': { method: 'get', path: () => `/api/v1/rounds/${roundId}`, write: false },
  'POST /rounds/:id/open': {
    method: 'post',
    path: () => `/api/v1/rounds/${roundId}/open`,
    write: true,
  },
  'POST /rounds/:id/close': {
    method: 'post',
    path: () => `/api/v1/rounds/${roundId}/close`,
    write: true,
  },
  'POST /rounds/:id/rotate-link': {
    method: 'post',
    path: () => `/api/v1/rounds/${roundId}/rotate-link`,
    write: true,
  },
  // Coaches only, like a write: the link, and who was invited.
  'GET /rounds/:id/qr.svg': {
    method: 'get',
    path: () => `/api/v1/rounds/${roundId}/qr.svg`,
    write: true,
  },
  'GET /rounds/:id/invitations': {
    method: 'get',
    path: () => `/api/v1/rounds/${roundId}/invitations`,
    write: true,
  },
  'POST /rounds/:id/invitations': {
    method: 'post',
    path: () => `/api/v1/rounds/${roundId}/invitations`,
    body: () => ({ emails: ['someone@example.com'] }),
    write: true,
  },
  'POST /rounds/:id/reminders': {
    method: 'post',
    path: () => `/api/v1/rounds/${roundId}/reminders`,
    write: true,
  },
  'GET /teams/:id/actions': {
    method: 'get',
    path: () => `/api/v1/teams/${teamId}/actions`,
    write: false,
  },
  'GET /teams/:id/actions.csv': {
    method: 'get',
    path: () => `/api/v1/teams/${teamId}/actions.csv`,
    write: false,
  },
  'POST /teams/:id/actions': {
    method: 'post',
    path: () => `/api/v1/teams/${teamId}/actions`,
    body: () => ({ sourceRoundId: begunRoundId, title: 'Another try' }),
    write: true,
  },
  'GET /actions/:id': { method: 'get', path: () => `/api/v1/actions/${actionId}`, write: false },
  'PATCH /actions/:id': {
    method: 'patch',
    path: () => `/api/v1/actions/${actionId}`,
    body: () => ({ status: 'done' }),
    write: true,
  },
  'DELETE /actions/:id': {
    method: 'delete',
    path: () => `/api/v1/actions/${actionId}`,
    write: true,
  },
  'POST /questionnaires': {
    method: 'post',
    path: () => '/api/v1/questionnaires',
    body: () => ({ slug: 'x' }),
    write: true,
  },
  'POST /questionnaires/:id/fork': {
    method: 'post',
    path: () => '/api/v1/questionnaires/active-practice/fork',
    body: () => ({ slug: 'our-practice', title: 'Our practice' }),
    write: true,
  },
};
const call = (route: Route, token?: string) => {
  const req = request(app)[route.method](route.path());
  if (token) void req.set(bearer(token));
  return route.body ? req.send(route.body()) : req;
};

describe.each(Object.entries(ROUTES))('%s', (_name, route) => {
  it('without a token answers 401 UNAUTHENTICATED and changes nothing', async () => {
    const before = await counts();
    const res = await call(route);

    expect(res.status).toBe(401);
    expect(ErrorBody.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it('with a revoked or made-up token answers 401 TOKEN_INVALID', async () => {
    const res = await call(route, 'tl_madeUpTokenThatDoesNotExist0000000000000000');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });

  if ([teamId, roundId, actionId].some((id) => route.path().includes(id))) {
    it("with another workspace's token answers 404, as if the object did not exist", async () => {
      const before = await counts();
      const res = await call(route, outsider.token);

      expect(res.status).toBe(404);
      expect(res.body.error.code).toMatch(/_NOT_FOUND$/);
      expect(await counts()).toEqual(before);
    });
  }

  if (route.write) {
    it('with a viewer token answers 403 FORBIDDEN and changes nothing', async () => {
      const before = await counts();
      const res = await call(route, viewerToken);

      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(await counts()).toEqual(before);
    });
  } else {
    it('with a viewer token answers 200', async () => {
      expect((await call(route, viewerToken)).status).toBe(200);
    });
  }
});

describe('the OpenAPI document', () => {
  // The other way round, that every operation has its route: shared/openapi-routes.api.test.ts.
  it('documents every route of this table', () => {
    const doc = openApiDocumentOf(app) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const table = Object.keys(ROUTES).map((r) => r.replace(/:id/, (_m) => '{id}'));
    for (const route of table) {
      const [method, path] = route.split(' ');
      const pattern = new RegExp(`^${method} ${path!.replace('{id}', '\\{\\w+\\}')}$`);
      expect({ route, documented: documented.some((d) => pattern.test(d)) }).toEqual({
        route,
        documented: true,
      });
    }
  });
});

describe('bodies with unknown fields or operators', () => {
  it.each([
    ['an unknown field', '/api/v1/teams', { name: 'T', colour: 'red' }],
    ['an operator object as a value', '/api/v1/teams', { name: { $ne: null } }],
    ['a $where key', '/api/v1/teams', { name: 'T', $where: 'sleep(100)' }],
    ['__proto__', '/api/v1/teams', JSON.parse('{"name":"T","__proto__":{"admin":true}}') as object],
    [
      'an operator in a nested object',
      '/api/v1/rounds',
      { teamId: { $gt: '' }, questionnaire: { slug: 'active-practice' }, title: 'R' },
    ],
    [
      'an unknown questionnaire key',
      '/api/v1/rounds',
      { teamId: 'x', questionnaire: { slug: 'a', $where: '1' }, title: 'R' },
    ],
  ])('answers 400 VALIDATION_FAILED for %s and stores nothing', async (_case, path, body) => {
    const before = await counts();
    const res = await request(app).post(path).set(bearer(owner.token)).send(body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });
});

describe('a token of a member who left the workspace', () => {
  it('stops working at once', async () => {
    const member = await apiSignup(app);
    const workspaces = createWorkspacesModule({
      conn: db.conn,
      clock: () => FIXED_NOW,
      preparation: quietPreparation(),
    }).service;
    const ownerActor = {
      userId: owner.userId,
      workspaceId: owner.workspaceId,
      role: 'owner',
      via: 'token',
    } as const;
    const { token } = await workspaces.invite(ownerActor, 'coach');
    await workspaces.acceptInvitation(token, member.userId);
    const memberToken = (
      await request(app)
        .post('/api/v1/auth/tokens')
        .send({ email: member.email, password: PASSWORD, workspaceId: owner.workspaceId })
    ).body.token as string;
    expect((await request(app).get('/api/v1/teams').set(bearer(memberToken))).status).toBe(200);

    await workspaces.removeMember(ownerActor, member.userId);

    const res = await request(app).get('/api/v1/teams').set(bearer(memberToken));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });
});
