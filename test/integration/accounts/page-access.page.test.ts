import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { csrfOf, signedInAgent, submitForm, type Agent } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';

/**
 * The page side of issue #4: two coaches in two workspaces, each with a team and a round, and
 * neither can see or change anything of the other's; signed-out visitors go to the log-in page;
 * viewers read but cannot write.
 */
let db: TestDatabase;
let app: Express;
let alice: Agent;
let bob: Agent;
let aliceTeam: string;
let aliceRound: string;

const COLLECTIONS = [
  'teams',
  'rounds',
  'memberships',
  'invitations',
  'api_tokens',
  'questionnaires',
];
async function counts() {
  return Object.fromEntries(
    await Promise.all(
      COLLECTIONS.map(async (c) => [c, await db.conn.collection(c).countDocuments()] as const),
    ),
  );
}

async function createTeam(agent: Agent, name: string): Promise<string> {
  const res = await submitForm(agent, '/teams', '/teams', { name, tags: 'tribe: a, site: b' });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('/').pop() ?? '';
}

async function createRound(agent: Agent, teamId: string): Promise<string> {
  const res = await submitForm(agent, `/rounds/new?teamId=${teamId}`, '/rounds/new', {
    teamId,
    questionnaire: 'active-practice',
    title: 'Autumn round',
    anonymity: 'anonymous',
    minGroupSize: '3',
    closesOn: '',
  });
  expect(res.status).toBe(303);
  return String(res.headers.location).split('/').pop() ?? '';
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { env: { BASE_URL: 'https://teamlens.example.org/' } });
  alice = (await signedInAgent(app, { name: 'Alice', workspaceName: 'Alice & Co' })).agent;
  bob = (await signedInAgent(app, { name: 'Bob', workspaceName: 'Bob Ltd' })).agent;
  aliceTeam = await createTeam(alice, 'Alice <team>');
  aliceRound = await createRound(alice, aliceTeam);
});
afterAll(() => db.drop());

describe('a coach', () => {
  it('sees the team, its round and the round link on their pages, with user input escaped', async () => {
    const dashboard = await alice.get('/dashboard');
    expect(dashboard.text).toContain('Alice &lt;team&gt;');
    expect(dashboard.text).not.toContain('Alice <team>');
    expect(dashboard.text).toContain('Autumn round');

    // The link starts with BASE_URL, whatever Host the request names.
    const round = await alice.get(`/rounds/${aliceRound}`).set('Host', 'evil.example');
    expect(round.status).toBe(200);
    expect(round.text).toMatch(
      /<input id="round-link" type="text" value="https:\/\/teamlens\.example\.org\/r\/[0-9a-hjkmnp-tv-z]{40}" readonly>/,
    );
    expect(round.text).toContain('Draft — not open for answers yet');
  });

  it('opens, closes and rotates the link of a round through its forms', async () => {
    const roundId = await createRound(alice, aliceTeam);
    const page = `/rounds/${roundId}`;
    const linkOf = async () =>
      /\/r\/([0-9a-hjkmnp-tv-z]{40})/.exec((await alice.get(page)).text)?.[1];
    const before = await linkOf();

    // A new link and closing cannot be taken back: each first says what it does, changing nothing.
    const asked = await submitForm(alice, page, `${page}/rotate-link`, {});
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('The current link stops working at once');
    expect(asked.text).toContain('0 answered so far.');
    expect(await linkOf()).toBe(before);
    const rotateForm = { confirm: 'yes' };
    expect((await submitForm(alice, page, `${page}/rotate-link`, rotateForm)).status).toBe(303);
    expect(await linkOf()).not.toBe(before);
    expect((await submitForm(alice, page, `${page}/open`, {})).status).toBe(303);
    expect((await alice.get(page)).text).toContain('Open — accepting answers');
    const askedToClose = await submitForm(alice, page, `${page}/close`, {});
    expect(askedToClose.text).toContain('a closed round cannot be opened again');
    expect((await alice.get(page)).text).toContain('Open — accepting answers');
    expect((await submitForm(alice, page, `${page}/close`, { confirm: 'yes' })).status).toBe(303);
    const closed = await alice.get(page);
    expect(closed.text).toContain('Closed — no more answers');
    expect(closed.text).not.toContain('/open"');
  });

  it('gets the form again with the values kept and a clear message on a bad round', async () => {
    const res = await submitForm(alice, '/rounds/new', '/rounds/new', {
      teamId: aliceTeam,
      questionnaire: '',
      title: 'Kept <title>',
      anonymity: 'anonymous',
      minGroupSize: '2',
      closesOn: '',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('value="Kept &lt;title&gt;"');
    expect(res.text).toContain('An anonymous round needs a minimum group size of at least 3');
    expect(res.text).toMatch(/<option value="[^"]+" selected>Alice &lt;team&gt;<\/option>/);
  });
});

describe("another workspace's objects", () => {
  it.each([
    ['the team page', () => `/teams/${aliceTeam}`],
    ['the round page', () => `/rounds/${aliceRound}`],
  ])('%s answers 404 to the other coach', async (_name, path) => {
    const res = await bob.get(path());
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Autumn round');
  });

  it.each([
    ['rename the team', () => `/teams/${aliceTeam}`, { name: 'Taken over' }],
    ['archive the team', () => `/teams/${aliceTeam}/archive`, {}],
    ['open the round', () => `/rounds/${aliceRound}/open`, {}],
    ['rotate the link', () => `/rounds/${aliceRound}/rotate-link`, {}],
  ])('trying to %s answers 404 and changes nothing', async (_name, path, fields) => {
    const before = await db.conn.collection('rounds').findOne({ _id: aliceRound as never });
    const teamBefore = await db.conn.collection('teams').findOne({ _id: aliceTeam as never });

    const res = await submitForm(bob, '/dashboard', path(), fields);

    expect(res.status).toBe(404);
    expect(await db.conn.collection('rounds').findOne({ _id: aliceRound as never })).toEqual(
      before,
    );
    expect(await db.conn.collection('teams').findOne({ _id: aliceTeam as never })).toEqual(
      teamBefore,
    );
  });

  it("do not appear on the other coach's dashboard", async () => {
    const res = await bob.get('/dashboard');
    expect(res.text).not.toContain('Alice');
    expect(res.text).toContain('Get started');
  });
});

describe('signed-out visitors', () => {
  it.each(['/dashboard', '/teams', '/rounds/new', '/account', '/workspace', '/questionnaires/new'])(
    'GET %s redirects to the log-in page and back',
    async (path) => {
      const res = await request(app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    },
  );

  it('GET of a team or round page redirects to log-in, revealing nothing', async () => {
    const res = await request(app).get(`/teams/${aliceTeam}`);
    expect(res.status).toBe(303);
    expect(res.text).not.toContain('Alice');
  });
});

describe('a viewer', () => {
  let viewer: Agent;

  beforeAll(async () => {
    const page = await alice.get('/workspace');
    const invite = await alice
      .post('/workspace/invitations')
      .set('Host', 'evil.example')
      .type('form')
      .send({ _csrf: csrfOf(page.text), role: 'viewer' });
    expect(invite.status).toBe(201);
    // The invitation link starts with BASE_URL, never with the request's Host header.
    expect(invite.text).toMatch(/https:\/\/teamlens\.example\.org\/invitations\/[A-Za-z0-9_-]{43}/);
    expect(invite.text).not.toContain('evil.example');
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    viewer = (await signedInAgent(app, { name: 'Vera Viewer' })).agent;
    const accept = await submitForm(viewer, `/invitations/${link}`, `/invitations/${link}`, {});
    expect(accept.status).toBe(303);
  });

  it('reads the teams and rounds of the workspace it joined', async () => {
    const res = await viewer.get(`/rounds/${aliceRound}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('id="round-link"');
    expect(res.text).not.toContain('/open"');
  });

  it.each([
    ['create a team', '/teams', { name: 'Viewer team' }],
    [
      'create a round',
      '/rounds/new',
      {
        teamId: 'x',
        questionnaire: 'active-practice',
        title: 'R',
        anonymity: 'anonymous',
        minGroupSize: '3',
      },
    ],
    ['open a round', `/rounds/{round}/open`, {}],
    ['invite someone', '/workspace/invitations', { role: 'owner' }],
  ])('may not %s: 403 and nothing changes', async (_name, path, fields) => {
    const before = await counts();
    const res = await submitForm(viewer, '/dashboard', path.replace('{round}', aliceRound), fields);

    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('invitations', () => {
  it('work once: a second use answers 404', async () => {
    const invite = await submitForm(alice, '/workspace', '/workspace/invitations', {
      role: 'coach',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    const first = (await signedInAgent(app)).agent;
    const second = (await signedInAgent(app)).agent;
    const page = await first.get(`/invitations/${link}`);
    expect(page.text).toContain('Join Alice &amp; Co');

    expect(
      (
        await first
          .post(`/invitations/${link}`)
          .type('form')
          .send({ _csrf: csrfOf(page.text) })
      ).status,
    ).toBe(303);
    const again = await second.get(`/invitations/${link}`);

    expect(again.status).toBe(404);
  });

  it('let a new colleague sign up straight into the workspace', async () => {
    const invite = await submitForm(alice, '/workspace', '/workspace/invitations', {
      role: 'coach',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    const agent = request.agent(app);

    const page = await agent.get(`/signup?invite=${link}`);
    expect(page.text).toContain(
      'You have been invited to <strong>Alice &amp; Co</strong> as coach',
    );
    const res = await agent
      .post('/signup')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        invite: link,
        name: 'Cleo',
        email: `cleo-${Date.now()}@example.com`,
        password: 'a long enough password',
      });

    expect(res.status).toBe(303);
    const dashboard = await agent.get('/dashboard');
    expect(dashboard.text).toContain('<h1>Alice &amp; Co</h1>');
  });
});

describe('API tokens on the account page', () => {
  it('are shown once, work on the API, and stop working when revoked', async () => {
    const created = await submitForm(alice, '/account', '/account/tokens', {
      name: 'export script',
    });
    expect(created.status).toBe(201);
    const token =
      /<p class="secret" id="new-token">(tl_[A-Za-z0-9_-]+)<\/p>/.exec(created.text)?.[1] ?? '';
    expect(
      (await request(app).get('/api/v1/teams').set('Authorization', `Bearer ${token}`)).status,
    ).toBe(200);
    const stored = await db.conn.collection('api_tokens').findOne({ name: 'export script' });
    expect(JSON.stringify(stored)).not.toContain(token);

    const account = await alice.get('/account');
    expect(account.text).not.toContain(token);
    const revoke = `/account/tokens/${String(stored?._id)}/revoke`;
    expect((await submitForm(alice, '/account', revoke, {})).status).toBe(303);

    expect(
      (await request(app).get('/api/v1/teams').set('Authorization', `Bearer ${token}`)).status,
    ).toBe(401);
  });
});
