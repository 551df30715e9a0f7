import request from 'supertest';
import type { Express } from 'express';
import { PASSWORD, loggedInAgent, signedInAgent, submitForm } from '../../support/auth';
import { type Account, type Api, apiSignup, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';

/**
 * What the team form and the e-mail fields tell a coach: the tag limits in words, as the API
 * says them, and internationalised addresses (RFC 6531) accepted in every e-mail field.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ env: { AUTH_RATE_LIMIT_PER_IP: '1000' } }));
});
afterAll(() => db.drop());

const unique = () => Math.random().toString(36).slice(2, 8);

describe('the team form’s tags', () => {
  it('says the limits in its hint', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get('/teams');
    expect(page.text).toContain('up to 10 tags of at most 40 characters each.');
  });

  it.each([
    [
      '11 tags',
      Array.from({ length: 11 }, (_, i) => `tag ${i}`).join(', '),
      'Tags: A team has at most 10 tags',
    ],
    ['a 60-character tag', `short, ${'x'.repeat(60)}`, 'Tags: A tag has at most 40 characters'],
  ])('refuses %s with the limit it breaks, keeping the text', async (_what, tags, message) => {
    const name = `Tagged ${unique()}`;
    const { teamId } = await api.openRound({ teamName: name });
    const agent = await loggedInAgent(app, coach.email);
    const url = `/teams/${teamId}`;

    const res = await submitForm(agent, url, url, { name, tags });

    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).not.toContain('Give a list here.');
    expect(res.text).toContain(`value="${tags}"`);
    const team = await api.get(`/teams/${teamId}`);
    expect(team.body.tags).toEqual([]);
  });

  it('refuses the same in the API, with the same words', async () => {
    const res = await api.post('/teams', {
      name: 'Too many',
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'tags', message: 'A team has at most 10 tags' },
    ]);
  });
});

describe('internationalised e-mail addresses', () => {
  it('sign up and get a token through the API, however the accent is typed', async () => {
    const email = `chloé.${unique()}@team.example`;
    const signed = await apiSignup(app, { email });
    expect(signed.token).toBeTruthy();
    const token = await request(app)
      .post('/api/v1/auth/tokens')
      .send({ email: email.normalize('NFD'), password: PASSWORD, name: 'cli' });
    expect(token.status).toBe(201);
  });

  it('sign up and log in through the pages, whose fields a browser does not refuse', async () => {
    const signupPage = await request(app).get('/signup');
    // type="email" makes a browser refuse "chloé@…" before the server sees it.
    expect(signupPage.text).toMatch(
      /<input id="field-email" name="email" type="text"[^>]* inputmode="email"/,
    );
    const email = `chloé.${unique()}@bücher.example`;
    const { agent } = await signedInAgent(app, { email });
    expect((await agent.get('/account')).text).toContain(email);
    // Typed with the accent apart (NFD), it is the same account.
    await loggedInAgent(app, email.normalize('NFD'));
  });

  it('are kept as a team’s members through the form and the API', async () => {
    const { teamId } = await api.openRound({ teamName: 'Intl' });
    const agent = await loggedInAgent(app, coach.email);
    const url = `/teams/${teamId}`;
    const saved = await submitForm(agent, url, url, {
      name: 'Intl',
      tags: '',
      members: 'chloé@team.example\nана@пример.рф',
    });
    expect(saved.status).toBe(303);
    const team = await api.get(`/teams/${teamId}`);
    expect(team.body.members).toEqual(['chloé@team.example', 'ана@пример.рф']);

    const patched = await api.patch(`/teams/${teamId}`, { members: ['用户@例子.广告'] });
    expect(patched.status).toBe(200);
    expect(patched.body.members).toEqual(['用户@例子.广告']);
  });

  it.each([
    ['a line break', 'chloé@team.example\r\nBcc: eve@example.org'],
    ['a space', 'chloé @team.example'],
    ['no @', 'chloé.team.example'],
  ])('are still refused with %s, nothing stored', async (_what, bad) => {
    const res = await request(app)
      .post('/api/v1/auth/signup')
      .send({ name: 'X', email: bad, password: PASSWORD, workspaceName: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const members = await api.post('/teams', { name: 'Refused', members: [bad] });
    expect(members.status).toBe(400);
    expect(members.body.error.details[0].path).toBe('members.0');
  });
});
