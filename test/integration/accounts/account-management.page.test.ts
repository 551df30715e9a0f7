import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { FIXED_NOW, buildTestApp } from '../../support/app';
import {
  PASSWORD,
  anEmail,
  csrfOf,
  signedInAgent,
  submitForm,
  type Agent,
} from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { createAccountsModule } from '../../../src/features/accounts';
import { createWorkspacesModule } from '../../../src/features/workspaces';
import { createRateLimitStore } from '../../../src/shared/db/rate-limit-store';
import { createLogger } from '../../../src/shared/logging';
import { quietPreparation } from '../../support/preparation';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, { env: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
});
afterAll(() => db.drop());

async function invitedMember(owner: Agent, role: 'coach' | 'viewer' | 'owner') {
  const invite = await submitForm(owner, '/workspace', '/workspace/invitations', { role });
  const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
  const member = await signedInAgent(app, { name: `Member ${role}` });
  await submitForm(member.agent, `/invitations/${link}`, `/invitations/${link}`, {});
  const user = await db.conn.collection('users').findOne({ emailLower: member.email });
  return { ...member, userId: String(user?._id) };
}

describe('changing the password', () => {
  it('needs the current password; afterwards only the new one logs in', async () => {
    const { agent, email } = await signedInAgent(app);

    const wrong = await submitForm(agent, '/account', '/account/password', {
      currentPassword: 'not my password',
      newPassword: 'a brand new password',
    });
    const right = await submitForm(agent, '/account', '/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new password',
    });

    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Your current password is not right.');
    expect(right.status).toBe(303);
    const oldLogin = await submitForm(request.agent(app), '/login', '/login', {
      email,
      password: PASSWORD,
    });
    const newLogin = await submitForm(request.agent(app), '/login', '/login', {
      email,
      password: 'a brand new password',
    });
    expect(oldLogin.status).toBe(401);
    expect(newLogin.status).toBe(303);
  });

  it('ends the user’s other sessions and revokes their API tokens; this browser stays in', async () => {
    const { agent, email } = await signedInAgent(app);
    const elsewhere = request.agent(app);
    await submitForm(elsewhere, '/login', '/login', { email, password: PASSWORD });
    const token = (
      await request(app).post('/api/v1/auth/tokens').send({ email, password: PASSWORD })
    ).body.token as string;
    const bearer = { Authorization: `Bearer ${token}` };
    expect((await elsewhere.get('/dashboard')).status).toBe(200);
    expect((await request(app).get('/api/v1/teams').set(bearer)).status).toBe(200);

    const changed = await submitForm(agent, '/account', '/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new password',
    });

    expect(changed.status).toBe(303);
    const here = await agent.get('/account');
    expect(here.status).toBe(200);
    expect(here.text).toContain(
      'Your other sessions have ended and your API tokens have been revoked.',
    );
    const there = await elsewhere.get('/dashboard');
    expect(there.status).toBe(303);
    expect(there.headers.location).toMatch(/^\/login/);
    // The ended session's browser can sign in again: the log-in page works with its old cookie.
    expect((await elsewhere.get('/login')).status).toBe(200);
    const api = await request(app).get('/api/v1/teams').set(bearer);
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('TOKEN_INVALID');
  });

  it('refuses a new password that is too short, keeping the old one', async () => {
    const { agent, email } = await signedInAgent(app);
    const res = await submitForm(agent, '/account', '/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'short',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('Use at least 10 characters');
    expect(
      (await submitForm(request.agent(app), '/login', '/login', { email, password: PASSWORD }))
        .status,
    ).toBe(303);
  });
});

describe('changing the password, again and again', () => {
  const tryPassword = (agent: Agent, currentPassword: string) =>
    submitForm(agent, '/account', '/account/password', {
      currentPassword,
      newPassword: 'a brand new password',
    });
  const passwordHashOf = async (conn: TestDatabase['conn'], email: string) =>
    (await conn.collection('users').findOne({ emailLower: email }))?.passwordHash as string;

  it('past the per-account limit, answers 429 with Retry-After on the form, even with the right password, and changes nothing', async () => {
    // Arrange: a limit of 3 password attempts per account, used up by wrong guesses.
    const own = await openTestDatabase();
    const limited = buildTestApp(own.conn, {
      env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '3', AUTH_RATE_LIMIT_PER_IP: '1000' },
    });
    const { agent, email } = await signedInAgent(limited);
    const hashBefore = await passwordHashOf(own.conn, email);
    for (let i = 0; i < 3; i += 1) {
      const wrong = await tryPassword(agent, `wrong guess ${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('Your current password is not right.');
    }

    // Act
    const res = await tryPassword(agent, PASSWORD);

    // Assert: refused before the password was checked, so the right one changed nothing.
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toContain('Too many attempts. Wait a few minutes and try again.');
    expect(res.text).toContain('action="/account/password"');
    expect(await passwordHashOf(own.conn, email)).toBe(hashBefore);
    // The same budget guards log-in and the API's token exchange: guesses at one password are
    // counted together, whichever door they come through.
    const login = await submitForm(request.agent(limited), '/login', '/login', {
      email,
      password: PASSWORD,
    });
    expect(login.status).toBe(429);
    const api = await request(limited)
      .post('/api/v1/auth/tokens')
      .send({ email, password: PASSWORD });
    expect(api.status).toBe(429);
    expect(api.body.error.code).toBe('RATE_LIMITED');
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(await own.conn.collection('api_tokens').countDocuments()).toBe(0);
    await own.drop();
  });

  it('past the per-address limit, answers 429 for any account from that address', async () => {
    const own = await openTestDatabase();
    const limited = buildTestApp(own.conn, {
      env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '1000', AUTH_RATE_LIMIT_PER_IP: '3' },
    });
    const first = await signedInAgent(limited);
    const second = await signedInAgent(limited);
    const hashBefore = await passwordHashOf(own.conn, second.email);
    expect((await tryPassword(first.agent, 'wrong guess 1')).status).toBe(401);
    expect((await tryPassword(first.agent, 'wrong guess 2')).status).toBe(401);
    expect((await tryPassword(second.agent, 'wrong guess 3')).status).toBe(401);

    const res = await tryPassword(second.agent, PASSWORD);

    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await passwordHashOf(own.conn, second.email)).toBe(hashBefore);
    await own.drop();
  });
});

describe('members', () => {
  it('an owner removes a member, whose next request has no access to the workspace', async () => {
    const owner = await signedInAgent(app, { workspaceName: 'Removal Inc' });
    const member = await invitedMember(owner.agent, 'coach');
    expect((await member.agent.get('/dashboard')).text).toContain('<h1>Removal Inc</h1>');

    const res = await submitForm(
      owner.agent,
      '/workspace',
      `/workspace/members/${member.userId}/remove`,
      {},
    );

    expect(res.status).toBe(303);
    const after = await member.agent.get('/dashboard');
    expect(after.text).not.toContain('Removal Inc');
  });

  it('the only owner is offered no Remove button for themselves, and a post anyway re-renders the page with the reason (409), a second owner can', async () => {
    const owner = await signedInAgent(app);
    const ownerId = String(
      (await db.conn.collection('users').findOne({ emailLower: owner.email }))?._id,
    );

    const page = await owner.agent.get('/workspace');
    expect(page.text).not.toContain(`/workspace/members/${ownerId}/remove`);
    expect(page.text).toContain('The only owner: invite another owner before leaving.');

    const alone = await submitForm(
      owner.agent,
      '/workspace',
      `/workspace/members/${ownerId}/remove`,
      {},
    );
    expect(alone.status).toBe(409);
    expect(alone.text).toContain('A workspace needs at least one owner');
    // The members page itself, not the error page with its request id.
    expect(alone.text).toContain('<h2 id="members-title">Members</h2>');
    expect(alone.text).not.toContain('request id');

    const second = await invitedMember(owner.agent, 'owner');
    const both = await second.agent.get('/workspace');
    expect(both.text).toContain(`/workspace/members/${ownerId}/remove`);
    const removed = await submitForm(
      second.agent,
      '/workspace',
      `/workspace/members/${ownerId}/remove`,
      {},
    );
    expect(removed.status).toBe(303);
  });

  it('a coach may not remove anyone (403)', async () => {
    const owner = await signedInAgent(app);
    const coach = await invitedMember(owner.agent, 'coach');
    const ownerId = String(
      (await db.conn.collection('users').findOne({ emailLower: owner.email }))?._id,
    );

    const res = await submitForm(
      coach.agent,
      '/dashboard',
      `/workspace/members/${ownerId}/remove`,
      {},
    );
    expect(res.status).toBe(403);
  });

  it('a member of two workspaces switches between them', async () => {
    const owner = await signedInAgent(app, { workspaceName: 'Second home' });
    const member = await invitedMember(owner.agent, 'viewer');
    const memberOwn = await db.conn
      .collection('memberships')
      .findOne({ userId: member.userId, role: 'owner' });

    await submitForm(member.agent, '/workspace', '/workspace/switch', {
      workspaceId: String(memberOwn?.workspaceId),
    });
    const own = await member.agent.get('/dashboard');
    expect(own.text).not.toContain('<h1>Second home</h1>');

    const workspacePage = await member.agent.get('/workspace');
    expect(workspacePage.text).toContain('Switch to Second home');
  });

  it('an invitation can be revoked before it is used', async () => {
    const owner = await signedInAgent(app);
    const invite = await submitForm(owner.agent, '/workspace', '/workspace/invitations', {
      role: 'coach',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    const tokenHash = createHash('sha256').update(link).digest('hex');
    const stored = await db.conn.collection('invitations').findOne({ tokenHash });

    await submitForm(
      owner.agent,
      '/workspace',
      `/workspace/invitations/${String(stored?._id)}/revoke`,
      {},
    );

    expect((await request(app).get(`/invitations/${link}`)).status).toBe(404);
  });
});

describe('sign-up from one address', () => {
  it('is rate limited: past the limit, 429 with Retry-After and nothing stored', async () => {
    const own = await openTestDatabase();
    const limited = buildTestApp(own.conn, { env: { AUTH_RATE_LIMIT_PER_IP: '2' } });
    for (let i = 0; i < 2; i += 1) await signedInAgent(limited);
    const users = await own.conn.collection('users').countDocuments();
    const agent = request.agent(limited);
    const page = await agent.get('/signup');

    const res = await agent
      .post('/signup')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        name: 'Third',
        email: anEmail(),
        password: PASSWORD,
        workspaceName: 'W',
      });

    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await own.conn.collection('users').countDocuments()).toBe(users);
    await own.drop();
  });
});

describe('a token asked for while the password changes', () => {
  it('is revoked at once when the session that asked was checked before the change', async () => {
    const { agent, email } = await signedInAgent(app);
    const user = await db.conn.collection('users').findOne({ emailLower: email });
    const userId = String(user?._id);
    const membership = await db.conn.collection('memberships').findOne({ userId });
    const workspaces = createWorkspacesModule({
      conn: db.conn,
      clock: () => FIXED_NOW,
      preparation: quietPreparation(),
    });
    const accounts = createAccountsModule({
      conn: db.conn,
      preparation: quietPreparation(),
      workspaces: workspaces.service,
      rateLimits: createRateLimitStore(db.conn, {
        clock: () => FIXED_NOW,
        logger: createLogger({ level: 'silent' }),
        secret: 'a test secret',
      }),
      limits: { perIp: 1000, perAccount: 1000 },
      clock: () => FIXED_NOW,
      csrfToken: () => '',
      baseUrl: 'http://localhost:3000',
    }).service;
    const actor = {
      userId,
      workspaceId: String(membership?.workspaceId),
      role: 'owner',
      via: 'session',
    } as const;
    // The session was checked at version 0; then the password changes (version 1).
    await submitForm(agent, '/account', '/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new password',
    });

    await expect(accounts.createToken(actor, { name: 'Late' }, 0)).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    const live = await db.conn.collection('api_tokens').countDocuments({ userId, revokedAt: null });
    expect(live).toBe(0);
  });
});
