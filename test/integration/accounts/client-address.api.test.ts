import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { PASSWORD, anEmail } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  // One proxy in front: it appends the address it saw to whatever X-Forwarded-For the client
  // sent, so only the rightmost entry is the client's.
  app = buildTestApp(db.conn, {
    env: { TRUST_PROXY: '1', AUTH_RATE_LIMIT_PER_IP: '3', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' },
  });
});
afterAll(() => db.drop());

/** X-Forwarded-For as the proxy passes it on: the client's forged entry, then the real address. */
const through = (client: string, forged: string) => `${forged}, ${client}`;

const logIn = (forwardedFor: string) =>
  request(app)
    .post('/api/v1/auth/tokens')
    .set('X-Forwarded-For', forwardedFor)
    .send({ email: anEmail(), password: 'not the password' });

const signUp = (forwardedFor: string) =>
  request(app)
    .post('/api/v1/auth/signup')
    .set('X-Forwarded-For', forwardedFor)
    .send({ name: 'Sam', email: anEmail(), password: PASSWORD, workspaceName: 'W' });

describe('TRUST_PROXY=1: the per-address limits count the address the proxy saw', () => {
  it('log-in attempts with a new forged leftmost address each time still reach the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await logIn(through('203.0.113.7', `1.2.3.${i}`))).status);
    }

    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('log-in attempts from distinct clients behind the proxy are counted apart', async () => {
    for (let i = 0; i < 3; i += 1) await logIn(through('203.0.113.8', '1.2.3.4'));

    expect((await logIn(through('203.0.113.8', '1.2.3.4'))).status).toBe(429);
    expect((await logIn(through('198.51.100.9', '1.2.3.4'))).status).toBe(401);
  });

  it('sign-ups with a new forged leftmost address each time reach the limit, and past it store nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await signUp(through('203.0.113.9', `9.9.9.${i}`))).status);
    }
    const users = await db.conn.collection('users').countDocuments();

    const refused = await signUp(through('203.0.113.9', '9.9.9.200'));

    expect(statuses).toEqual([201, 201, 201]);
    expect(refused.status).toBe(429);
    expect(await db.conn.collection('users').countDocuments()).toBe(users);
    expect((await signUp(through('198.51.100.10', '9.9.9.200'))).status).toBe(201);
  });

  it('unknown respondent links with a new forged leftmost address each time reach the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const res = await request(app)
        .get(`/api/v1/r/${String(i).padStart(32, 'g')}`)
        .set('X-Forwarded-For', through('203.0.113.10', `5.6.7.${i}`));
      statuses.push(res.status);
    }

    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
