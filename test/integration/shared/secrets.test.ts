import { createHmac } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { deriveKey } from '../../../src/shared/keys';
import { buildTestApp } from '../../support/app';
import { anEmail, bearer, sessionCookie, signedInAgent } from '../../support/auth';
import { anOpenRound, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDcfAnswer } from '../../support/factories';
import { startSmtpServer, type SmtpServer } from '../../support/smtp';
import { countStoredResponses } from '../../support/responses';

/**
 * One master secret, a key derived from it per use (shared/keys.ts), and a rotation: apps
 * built with the secret before and after it share one database, as a restarted deployment
 * would.
 */
let db: TestDatabase;
let smtp: SmtpServer;

const BEFORE = 'the master secret before the rotation, long enough';
const AFTER = 'the master secret after the rotation, long enough too';

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

function appWith(secret: string, previous?: string): Express {
  return buildTestApp(db.conn, {
    sessionSecret: secret,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Teamlens <teamlens@example.org>',
      BASE_URL: 'https://teamlens.example.org',
      TRUST_PROXY: '1',
      ...(previous === undefined ? {} : { SESSION_SECRET_PREVIOUS: previous }),
    },
  });
}

describe('a session cookie across a rotation of SESSION_SECRET', () => {
  it('signed with the previous secret still signs in, and comes back signed with the new one', async () => {
    // Arrange: signed in before the rotation.
    const { agent } = await signedInAgent(appWith(BEFORE));
    const before = sessionCookie(await agent.get('/dashboard'))!;

    // Act
    const rotated = await request(appWith(AFTER, BEFORE)).get('/dashboard').set('Cookie', before);

    // Assert: it still works, and the cookie it sets works without the previous secret.
    expect(rotated.status).toBe(200);
    const after = sessionCookie(rotated)!;
    expect(after).not.toBe(before);
    expect((await request(appWith(AFTER)).get('/dashboard').set('Cookie', after)).status).toBe(200);
  });

  it('signed with the previous secret is refused once that secret is no longer given', async () => {
    const { agent } = await signedInAgent(appWith(BEFORE));
    const before = sessionCookie(await agent.get('/dashboard'))!;

    const res = await request(appWith(AFTER)).get('/dashboard').set('Cookie', before);

    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe('a personal invitation link across a rotation of SESSION_SECRET', () => {
  /** One address invited to a new open round by `app`; its link's round and invitation. */
  async function aMailedLink(app: Express) {
    const coach = await apiSignup(app);
    const { roundId, link } = await anOpenRound(app, coach.token);
    const email = anEmail('member');
    const before = smtp.received.length;
    const invited = await request(app)
      .post(`/api/v1/rounds/${roundId}/invitations`)
      .set(bearer(coach.token))
      .send({ emails: [email] });
    expect(invited.status).toBe(201);
    await smtp.waitForMessages(before + 1);
    const mail = smtp.received.slice(before).find((m) => m.to === email)!;
    const url = new URL(/Answer here: (\S+)/.exec(mail.text)![1]!);
    return { link, invitation: url.searchParams.get('i')! };
  }

  const answer = (app: Express, link: string, invitation: string) =>
    request(app)
      .post(`/api/v1/r/${link}`)
      .set('X-Invitation', invitation)
      .send(aDcfAnswer('Ship it'));
  const responses = () => countStoredResponses(db.conn);

  it('mailed before the rotation still verifies with SESSION_SECRET_PREVIOUS, and not without', async () => {
    const { link, invitation } = await aMailedLink(appWith(BEFORE));
    const stored = await responses();

    const dropped = await answer(appWith(AFTER), link, invitation);
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.code).toBe('VALIDATION_FAILED');
    expect(await responses()).toBe(stored);

    expect((await answer(appWith(AFTER, BEFORE), link, invitation)).status).toBe(201);
  });

  it('signed with the master itself, as before keys were derived, still verifies', async () => {
    const { link, invitation } = await aMailedLink(appWith(BEFORE));
    const [id] = invitation.split('.');
    // How links were signed until this version: an HMAC under the master secret itself.
    const legacy = `${id}.${createHmac('sha256', BEFORE).update(`invitation:${id}`).digest('base64url').slice(0, 22)}`;
    expect(legacy).not.toBe(invitation);

    expect((await answer(appWith(BEFORE), link, legacy)).status).toBe(201);
    expect((await answer(appWith(AFTER, BEFORE), link, legacy)).status).toBe(201);
  });
});

describe('rate-limit keys', () => {
  it('are stored as HMACs under their own derived key, not under the master secret', async () => {
    const address = '203.0.113.77';
    const hmac = (key: string) =>
      createHmac('sha256', key).update(`password:ip:${address}`).digest('base64url');

    const res = await request(appWith(BEFORE))
      .post('/api/v1/auth/tokens')
      .set('X-Forwarded-For', address)
      .send({ email: anEmail(), password: 'not the password' });

    expect(res.status).toBe(401);
    const hits = await db.conn.collection<{ key: string }>('rate_limits').find().toArray();
    const keys = hits.map((hit) => hit.key);
    expect(keys).toContain(hmac(deriveKey(BEFORE, 'rateLimitKeys')));
    expect(keys).not.toContain(hmac(BEFORE));
  });
});
