import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createWorkspacesModule } from '../../src/features/workspaces';
import type { Connection } from '../../src/shared/db/connect';
import { FIXED_NOW, buildTestApp } from './app';
import { PASSWORD, anEmail, bearer } from './auth';
import { openTestDatabase } from './db';
import { quietPreparation } from './preparation';

export type Method = 'get' | 'post' | 'patch' | 'delete';

/** What the API answered, as supertest gives it: status, lower-case headers, text, JSON body. */
export type ApiResponse = Readonly<{
  status: number;
  headers: Record<string, string>;
  text: string;
  // A test asserts on the body's shape itself (or parses it with the DTO's schema).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}>;

type Call = (
  method: Method,
  path: string,
  options: { body?: unknown; headers: Record<string, string> },
) => Promise<ApiResponse>;

/** Through supertest into an app of this process: no port, no listen. */
const throughApp =
  (app: Express): Call =>
  async (method, path, { body, headers }) => {
    const req = request(app)[method](path).set(headers);
    // Sent as JSON text, so that a list or a scalar goes as it is, on both transports.
    const res = await (body === undefined
      ? req
      : req.set('content-type', 'application/json').send(JSON.stringify(body)));
    return { status: res.status, headers: res.headers, text: res.text, body: res.body };
  };

/** Through fetch to a server listening at `baseUrl` (a server process of its own). */
const throughHttp =
  (baseUrl: string): Call =>
  async (method, path, { body, headers }) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: method.toUpperCase(),
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = /json/.test(res.headers.get('content-type') ?? '');
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      text,
      body: json ? JSON.parse(text) : {},
    };
  };

/** Throws with what the API said unless it answered `status`: a helper's step went wrong. */
function expectStatus(res: ApiResponse, status: number, what: string): ApiResponse {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`);
  }
  return res;
}

export type RoundOptions = {
  slug?: string;
  title?: string;
  anonymity?: 'anonymous' | 'named';
  minGroupSize?: number;
  access?: 'link' | 'invited';
  /** An existing team's; without it, a new team named `teamName` (or a unique name). */
  teamId?: string;
  teamName?: string;
};

/**
 * The `/api/v1` API as a test calls it, signed in with `token` (the coach's), against an app of
 * this process (supertest) or the base URL of a running server (fetch). The helpers build what a
 * test needs as a coach and a team member would, and throw when a step is refused.
 */
export function apiFor(target: Express | string, token?: string) {
  const send = typeof target === 'string' ? throughHttp(target) : throughApp(target);
  const auth = token ? bearer(token) : {};
  const call = (
    method: Method,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => send(method, `/api/v1${path}`, { body, headers: { ...auth, ...headers } });

  const api = {
    get: (path: string, headers?: Record<string, string>) => call('get', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('post', path, body, headers),
    patch: (path: string, body: unknown) => call('patch', path, body),
    delete: (path: string) => call('delete', path),

    /** A new team (a unique name unless given); its id. */
    async team(name = `Team ${randomBytes(3).toString('hex')}`): Promise<string> {
      const res = expectStatus(await api.post('/teams', { name }), 201, 'creating a team');
      return (res.body as { id: string }).id;
    },

    /** Creates a questionnaire (a definition as the API takes it). */
    async questionnaire(definition: object): Promise<void> {
      expectStatus(await api.post('/questionnaires', definition), 201, 'creating a questionnaire');
    },

    /** The items of a questionnaire's current version, in order. */
    async items(slug: string): Promise<{ id: string; kind: string; askDesired?: boolean }[]> {
      const res = expectStatus(await api.get(`/questionnaires/${slug}`), 200, 'reading items');
      const { definition } = res.body as {
        definition: { sections: { items: { id: string; kind: string; askDesired?: boolean }[] }[] };
      };
      return definition.sections.flatMap((s) => s.items);
    },

    /**
     * An open round of `slug` (the "Drivers, constraints and floats" check by default),
     * anonymous with k = 3 (named with k = 1) unless told: its id, its team's, its link token.
     */
    async openRound(
      options: RoundOptions = {},
    ): Promise<{ roundId: string; teamId: string; link: string }> {
      const teamId = options.teamId ?? (await api.team(options.teamName));
      const created = await api.post('/rounds', {
        teamId,
        questionnaire: { slug: options.slug ?? 'drivers-constraints-floats' },
        title: options.title ?? 'Round under test',
        anonymity: options.anonymity ?? 'anonymous',
        minGroupSize: options.minGroupSize ?? (options.anonymity === 'named' ? 1 : 3),
        ...(options.access ? { access: options.access } : {}),
      });
      const round = expectStatus(created, 201, 'creating a round').body as {
        id: string;
        link: { token: string };
      };
      expectStatus(await api.post(`/rounds/${round.id}/open`), 200, 'opening the round');
      return { roundId: round.id, teamId, link: round.link.token };
    },

    /** Each body answered by one person through the round's link, as a team member does. */
    async answer(link: string, ...bodies: object[]): Promise<void> {
      for (const body of bodies) {
        expectStatus(
          await send('post', `/api/v1/r/${link}`, { body, headers: {} }),
          201,
          'answering',
        );
      }
    },

    /** An open round answered with these bodies, one a person: its ids and link. */
    async answeredRound(options: RoundOptions, bodies: readonly object[]) {
      const round = await api.openRound(options);
      await api.answer(round.link, ...bodies);
      return round;
    },
  };
  return api;
}

export type Api = ReturnType<typeof apiFor>;

/** A user, a workspace and an owner token, through the API. */
export async function apiSignup(
  target: Express | string,
  options: { email?: string; workspaceName?: string } = {},
): Promise<{ token: string; workspaceId: string; userId: string; email: string }> {
  const email = options.email ?? anEmail();
  const res = await apiFor(target).post('/auth/signup', {
    name: 'Api User',
    email,
    password: PASSWORD,
    workspaceName: options.workspaceName ?? 'Api workspace',
  });
  const body = expectStatus(res, 201, 'API sign-up').body as {
    token: string;
    workspaceId: string;
    user: { id: string };
  };
  return { token: body.token, workspaceId: body.workspaceId, userId: body.user.id, email };
}

/** An open round for a new team of the token's workspace (see `openRound`). */
export const anOpenRound = (target: Express | string, token: string, options?: RoundOptions) =>
  apiFor(target, token).openRound(options);

export type Account = Awaited<ReturnType<typeof apiSignup>>;

/**
 * A token of a new user who is a viewer in `owner`'s workspace: invited by the owner (through
 * the service: the API has no invitation route), accepted, and exchanged for a token.
 */
export async function apiViewerToken(app: Express, conn: Connection, owner: Account) {
  const workspaces = createWorkspacesModule({
    conn,
    clock: () => FIXED_NOW,
    preparation: quietPreparation(),
  }).service;
  const viewer = await apiSignup(app);
  const { token } = await workspaces.invite(
    { userId: owner.userId, workspaceId: owner.workspaceId, role: 'owner', via: 'token' },
    'viewer',
  );
  await workspaces.acceptInvitation(token, viewer.userId);
  const exchanged = await request(app)
    .post('/api/v1/auth/tokens')
    .send({ email: viewer.email, password: PASSWORD, workspaceId: owner.workspaceId });
  return (exchanged.body as { token: string }).token;
}

/**
 * What most test files start with: a database of their own, an app on it (`options` as
 * buildTestApp takes them), a coach signed up through the API and the coach's client.
 * The file drops the database after its tests (`afterAll(() => db.drop())`).
 */
export async function openCoachApp(
  options: Parameters<typeof buildTestApp>[1] = {},
  database: Parameters<typeof openTestDatabase>[0] = {},
) {
  const db = await openTestDatabase(database);
  const app = buildTestApp(db.conn, options);
  const coach = await apiSignup(app);
  return { db, app, coach, api: apiFor(app, coach.token) };
}
