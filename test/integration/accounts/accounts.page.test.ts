import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import {
  PASSWORD,
  anEmail,
  csrfOf,
  sessionCookie,
  signedInAgent,
  submitForm,
} from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, {
    env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '3', AUTH_RATE_LIMIT_PER_IP: '1000' },
  });
});
afterAll(() => db.drop());

const count = (collection: string) => db.conn.collection(collection).countDocuments();
describe('POST /signup', () => {
  it('creates the user (password hashed with argon2id), a workspace with them as owner, and signs in', async () => {
    const email = anEmail();
    const { agent } = await signedInAgent(app, { email, workspaceName: 'North Studio' });

    const dashboard = await agent.get('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('<h1>North Studio</h1>');
    const user = await db.conn.collection('users').findOne({ emailLower: email });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    const membership = await db.conn.collection('memberships').findOne({ userId: user?._id });
    expect(membership?.role).toBe('owner');
  });

  it('on invalid input, answers 400 with the form again: values kept, password not, every error listed', async () => {
    const agent = request.agent(app);
    const before = await count('users');

    const res = await submitForm(agent, '/signup', '/signup', {
      name: '<b>Sam</b>',
      email: 'not-an-email',
      password: 'short',
      workspaceName: '',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('value="&lt;b&gt;Sam&lt;/b&gt;"');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).not.toContain('value="short"');
    // Named as the form labels the field.
    expect(res.text).toMatch(/<a href="#field-email">Email address: Enter an email address/);
    expect(res.text).toMatch(/<a href="#field-password">Password: Use at least 10 characters/);
    expect(res.text).toContain('aria-describedby="field-password-hint field-password-error"');
    expect(await count('users')).toBe(before);
  });

  it('refuses an email that has an account with 409 on the form, storing nothing', async () => {
    const email = anEmail();
    await signedInAgent(app, { email });
    const before = await count('users');

    const res = await submitForm(request.agent(app), '/signup', '/signup', {
      name: 'Again',
      email: email.toUpperCase(),
      password: PASSWORD,
      workspaceName: 'Again',
    });

    expect(res.status).toBe(409);
    expect(res.text).toContain('An account with this email address exists already');
    expect(await count('users')).toBe(before);
  });
});

describe('POST /login', () => {
  it('answers an unknown email and a wrong password with the same message', async () => {
    const { email } = await signedInAgent(app);
    const unknown = await submitForm(request.agent(app), '/login', '/login', {
      email: anEmail('nobody'),
      password: PASSWORD,
    });
    const wrong = await submitForm(request.agent(app), '/login', '/login', {
      email,
      password: 'wrong password!',
    });

    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) =>
      /<li>(.*?)<\/li>/.exec(html.slice(html.indexOf('error-summary')))?.[1];
    expect(message(unknown.text)).toBe('The email address or the password is not right.');
    expect(message(wrong.text)).toBe(message(unknown.text));
    expect(wrong.text).toContain(`value="${email}"`);
  });

  it('gives a new session id at log-in, so a session id planted before does not become signed in', async () => {
    const { email } = await signedInAgent(app);
    const agent = request.agent(app);
    const loginPage = await agent.get('/login');
    const before = sessionCookie(loginPage);

    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(loginPage.text), email, password: PASSWORD });

    expect(res.status).toBe(303);
    const after = sessionCookie(res);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const planted = await request(app)
      .get('/dashboard')
      .set('Cookie', before ?? '');
    expect(planted.status).toBe(303);
    expect(planted.headers.location).toBe('/login?next=%2Fdashboard');
  });

  it.each([
    ['a local path', '/teams', '/teams'],
    ['another site', '//evil.example/x', '/dashboard'],
    ['an absolute URL', 'https://evil.example/', '/dashboard'],
    ['a backslash trick', '/\\evil.example', '/dashboard'],
  ])('after log-in, redirects to %s only if it is local', async (_case, next, expected) => {
    const { email } = await signedInAgent(app);
    const res = await submitForm(request.agent(app), '/login', '/login', {
      email,
      password: PASSWORD,
      next,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(expected);
  });

  it('after too many attempts for one account, answers 429 with Retry-After, even with the right password', async () => {
    const { email } = await signedInAgent(app);
    for (let i = 0; i < 3; i += 1) {
      expect(
        (
          await submitForm(request.agent(app), '/login', '/login', {
            email,
            password: 'wrong password!',
          })
        ).status,
      ).toBe(401);
    }

    const res = await submitForm(request.agent(app), '/login', '/login', {
      email,
      password: PASSWORD,
    });

    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toContain('Too many attempts');
  });
});

describe('POST /logout', () => {
  it('ends the session in the store: the old cookie no longer works', async () => {
    const { agent } = await signedInAgent(app);
    const dashboard = await agent.get('/dashboard');
    const cookie = sessionCookie(await agent.get('/dashboard')) ?? '';
    const sessionsBefore = await count('sessions');

    const res = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfOf(dashboard.text) });

    expect(res.status).toBe(303);
    expect(await count('sessions')).toBe(sessionsBefore - 1);
    const replay = await request(app).get('/dashboard').set('Cookie', cookie);
    expect(replay.status).toBe(303);
  });
});

describe('CSRF protection', () => {
  it.each([
    ['missing', undefined],
    ['wrong', 'not-the-token'],
  ])('when the token is %s, answers 403 and changes nothing', async (_case, token) => {
    const { agent } = await signedInAgent(app);
    const before = await count('teams');

    const res = await agent
      .post('/teams')
      .type('form')
      .send({ ...(token ? { _csrf: token } : {}), name: 'Sneaky team' });

    expect(res.status).toBe(403);
    expect(res.text).toContain('This form has expired or was sent from another site');
    expect(await count('teams')).toBe(before);
  });
});

describe('anonymous visitors', () => {
  it('reading pages without a form creates no session and sets no cookie', async () => {
    const before = await count('sessions');

    const pages = await Promise.all(
      ['/', '/questionnaires', '/questionnaires/active-practice', '/api/docs'].map((path) =>
        request(app).get(path),
      ),
    );

    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(sessionCookie(page)).toBeUndefined();
    }
    expect(await count('sessions')).toBe(before);
  });

  it('get a session, and a CSRF token, on the log-in and sign-up forms', async () => {
    for (const path of ['/login', '/signup']) {
      const page = await request(app).get(path);
      expect(sessionCookie(page)).toBeDefined();
      expect(csrfOf(page.text)).toMatch(/\S{20,}/);
    }
  });
});

describe('the session cookie', () => {
  it('is httpOnly and SameSite=Lax', async () => {
    const res = await request(app).get('/login');
    const cookie = ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .join(';');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('is Secure when SECURE_COOKIES is set', async () => {
    const https = buildTestApp(db.conn, { env: { SECURE_COOKIES: 'true', TRUST_PROXY: '1' } });
    const res = await request(https).get('/login').set('X-Forwarded-Proto', 'https');
    const cookie = ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .join(';');
    expect(cookie).toMatch(/Secure/);
  });

  it('is not sent over plain HTTP when X-Forwarded-Proto comes from a peer TRUST_PROXY does not name', async () => {
    // The test client connects from 127.0.0.1, which is not in 10.0.0.0/8.
    const https = buildTestApp(db.conn, {
      env: { SECURE_COOKIES: 'true', TRUST_PROXY: '10.0.0.0/8' },
    });
    const res = await request(https).get('/login').set('X-Forwarded-Proto', 'https');
    expect(sessionCookie(res)).toBeUndefined();
  });
});
