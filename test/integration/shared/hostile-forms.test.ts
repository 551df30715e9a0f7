import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import {
  PASSWORD,
  bearer,
  submitForm,
  csrfOf,
  signedInAgent,
  type Agent,
} from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';

/**
 * Hostile input against every form: operator-looking and prototype keys, repeated keys,
 * oversized and deeply nested values, wrong CSRF tokens. Each gets a 4xx page without a
 * stack trace or a database message, and no collection changes (sessions and rate-limit hits
 * aside: those record the visit itself).
 */
let db: TestDatabase;
let app: Express;
let coach: { agent: Agent; email: string };
let teamId: string;
let link: string;
let actionId: string;
let roundId: string;

const BUILTIN = 'tensions-in-how-we-work';
const OWN_QUESTIONNAIRE = 'own-questionnaire';

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  coach = await signedInAgent(app);
  const owner = await apiSignup(app);
  const round = await anOpenRound(app, owner.token);
  link = round.link;
  const created = await submitForm(coach.agent, '/teams', '/teams', { name: 'Own team' });
  teamId = /\/teams\/([\w-]+)/.exec(created.headers.location ?? '')?.[1] ?? '';
  if (!teamId) throw new Error(`no team: ${created.status} ${created.headers.location}`);
  // An action of the coach's own workspace, to edit with hostile bodies.
  const token = (
    await request(app).post('/api/v1/auth/tokens').send({ email: coach.email, password: PASSWORD })
  ).body.token as string;
  const own = await anOpenRound(app, token);
  roundId = own.roundId;
  const action = await request(app)
    .post(`/api/v1/teams/${own.teamId}/actions`)
    .set(bearer(token))
    .send({ sourceRoundId: own.roundId, title: 'Keep me' });
  actionId = (action.body as { id: string }).id;
  if (!actionId) throw new Error(`no action: ${JSON.stringify(action.body)}`);
  // A questionnaire of the coach's workspace, for the editor's forms.
  const fork = await submitForm(
    coach.agent,
    `/questionnaires/${BUILTIN}`,
    `/questionnaires/${BUILTIN}/fork`,
    {
      slug: OWN_QUESTIONNAIRE,
      title: 'Own questionnaire',
    },
  );
  if (fork.status !== 303) throw new Error(`no fork: ${fork.status}`);
});

afterAll(() => db.drop());

const RECORDS_OF_THE_VISIT = new Set(['sessions', 'rate_limit_hits']);

async function counts(): Promise<Record<string, number>> {
  const collections = await db.conn.db!.listCollections().toArray();
  const entries = await Promise.all(
    collections
      .map((c) => c.name)
      .filter((name) => !RECORDS_OF_THE_VISIT.has(name))
      .map(async (name) => [name, await db.conn.collection(name).countDocuments()] as const),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

const deep = (depth: number) => `a${'[b]'.repeat(depth)}=1`;

/** Form bodies a browser would never send, as raw application/x-www-form-urlencoded. */
const HOSTILE: readonly (readonly [string, string])[] = [
  ['operator-looking keys', 'name[$ne]=x&email[$gt]=&title[$where]=sleep(100)&password[$regex]=.*'],
  ['prototype keys', '__proto__[admin]=true&constructor[prototype][admin]=true&__proto__=x'],
  ['repeated keys', 'name=a&name=b&email=a@example.com&email=b@example.com&title=x&title=y'],
  ['an oversized value', `name=${'x'.repeat(20_000)}&title=${'y'.repeat(20_000)}`],
  ['deep nesting', deep(40)],
  ['only unknown fields', 'isAdmin=true&workspaceId=elsewhere&userId=someone'],
];

/**
 * Every form the pages post to, signed in (coach) or not (log-in, sign-up, respondent); the
 * ids are filled in when the test runs.
 */
const FORMS: readonly (readonly [string, 'coach' | 'anonymous'])[] = [
  ['/teams', 'coach'],
  ['/teams/:teamId', 'coach'],
  ['/teams/:teamId/actions', 'coach'],
  ['/actions/:actionId', 'coach'],
  ['/actions/not-an-action/delete', 'coach'],
  ['/rounds/new', 'coach'],
  ['/rounds/:roundId/invitations', 'coach'],
  ['/rounds/:roundId/reminders', 'coach'],
  ['/questionnaires/new', 'coach'],
  ['/questionnaires/start', 'coach'],
  [`/questionnaires/${BUILTIN}/fork`, 'coach'],
  [`/questionnaires/${OWN_QUESTIONNAIRE}/edit`, 'coach'],
  [`/questionnaires/${OWN_QUESTIONNAIRE}/publish`, 'coach'],
  ['/account/password', 'coach'],
  ['/account/tokens', 'coach'],
  ['/account/tokens/not-a-token/revoke', 'coach'],
  ['/workspace/invitations', 'coach'],
  ['/workspace/invitations/not-an-invitation/revoke', 'coach'],
  ['/workspace/members/not-a-member/remove', 'coach'],
  ['/workspace/switch', 'coach'],
  ['/invitations/not-a-real-invitation-token', 'coach'],
  ['/login', 'anonymous'],
  ['/signup', 'anonymous'],
  ['/r/:token', 'anonymous'],
];

async function send(
  path: string,
  who: 'coach' | 'anonymous',
  body: string,
  csrf: 'valid' | 'wrong',
) {
  const agent = who === 'coach' ? coach.agent : request.agent(app);
  const form = await agent.get(who === 'coach' ? '/account' : '/login');
  const token = csrf === 'valid' ? csrfOf(form.text) : 'forged-token';
  return agent
    .post(
      path
        .replace(':teamId', teamId)
        .replace(':token', link)
        .replace(':actionId', actionId)
        .replace(':roundId', roundId),
    )
    .type('form')
    .send(`_csrf=${encodeURIComponent(token)}&${body}`);
}

describe('every form', () => {
  it.each(
    FORMS.flatMap(([path, who]) => HOSTILE.map(([what, body]) => [path, what, who, body] as const)),
  )(
    'POST %s with %s: a 4xx page, nothing stored, nothing leaked',
    async (path, _what, who, body) => {
      const before = await counts();
      const res = await send(path, who, body, 'valid');

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/\n\s+at |MongoServerError|Mongoose|E11000|SQLITE/);
      expect(await counts()).toEqual(before);
    },
  );

  it.each(FORMS.filter(([path]) => !path.startsWith('/r/')))(
    'POST %s with a forged CSRF token: 403, nothing stored',
    async (path, who) => {
      const before = await counts();
      const res = await send(path, who, 'name=Valid+name&title=Valid', 'wrong');

      expect(res.status).toBe(403);
      expect(await counts()).toEqual(before);
    },
  );
});
