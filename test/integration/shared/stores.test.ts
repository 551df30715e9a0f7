import { createHash } from 'node:crypto';
import type { SessionData } from 'express-session';
import { createRateLimitStore } from '../../../src/shared/db/rate-limit-store';
import { MongooseSessionStore } from '../../../src/shared/db/session-store';
import { createLogger } from '../../../src/shared/logging';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { waitFor } from '../../support/ports';

/** Our MongoDB-backed stores, with a clock the tests move: expiry is checked in code. */
let db: TestDatabase;
let now = new Date('2026-05-01T10:00:00Z');
const clock = () => now;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.drop());

const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) =>
    fn((err, value) =>
      err ? reject(err instanceof Error ? err : new Error('store failed')) : resolve(value),
    ),
  );

const data = (expires: Date) =>
  ({ cookie: { expires, originalMaxAge: 1000 }, userId: 'u1' }) as unknown as SessionData;

describe('MongooseSessionStore', () => {
  it('stores a session under a hash of its id and reads it back', async () => {
    const store = new MongooseSessionStore(db.conn, { ttlMs: 60_000, clock, logger });
    await call((cb) => store.set('sid-1', data(new Date(now.getTime() + 60_000)), cb));

    expect(await call<SessionData | null>((cb) => store.get('sid-1', cb))).toMatchObject({
      userId: 'u1',
    });
    expect(await db.conn.collection('sessions').countDocuments({ _id: 'sid-1' as never })).toBe(0);
  });

  it('treats an expired session as absent, even before any cleanup ran', async () => {
    const store = new MongooseSessionStore(db.conn, { ttlMs: 60_000, clock, logger });
    await call((cb) => store.set('sid-2', data(new Date(now.getTime() + 1000)), cb));

    now = new Date(now.getTime() + 2000);

    expect(await call<SessionData | null>((cb) => store.get('sid-2', cb))).toBeNull();
  });

  it('deletes expired sessions in a cleanup that rides on writes, at most once per interval', async () => {
    const store = new MongooseSessionStore(db.conn, {
      ttlMs: 60_000,
      clock,
      logger,
      cleanupEveryMs: 60_000,
    });
    await call((cb) => store.set('old', data(new Date(now.getTime() + 1000)), cb));
    now = new Date(now.getTime() + 120_000);

    // Every write pokes the cleanup, which runs in the background (a poke while the earlier
    // run is still busy starts none), so keep writing until it has run at the new time.
    await waitFor(
      async () => {
        await call((cb) => store.set('fresh', data(new Date(now.getTime() + 60_000)), cb));
        const expired = { expiresAt: { $lt: now } };
        return (await db.conn.collection('sessions').countDocuments(expired)) === 0;
      },
      { what: 'the cleanup to delete expired sessions' },
    );
    expect(await call<SessionData | null>((cb) => store.get('fresh', cb))).toMatchObject({
      userId: 'u1',
    });
  });

  it('destroys a session', async () => {
    const store = new MongooseSessionStore(db.conn, { ttlMs: 60_000, clock, logger });
    await call((cb) => store.set('sid-3', data(new Date(now.getTime() + 60_000)), cb));
    await call((cb) => store.destroy('sid-3', cb));
    expect(await call<SessionData | null>((cb) => store.get('sid-3', cb))).toBeNull();
  });
});

describe('createRateLimitStore', () => {
  it('counts hits per key and window, and starts again in the next window', async () => {
    const limits = createRateLimitStore(db.conn, { clock, logger, secret: 'a test secret' });
    now = new Date('2026-05-01T10:00:00Z');

    const first = await limits.hit('k', 60_000);
    const second = await limits.hit('k', 60_000);
    const other = await limits.hit('other', 60_000);
    now = new Date('2026-05-01T10:01:00Z');
    const nextWindow = await limits.hit('k', 60_000);

    expect([first.count, second.count, other.count, nextWindow.count]).toEqual([1, 2, 1, 1]);
    expect(second.resetAt.toISOString()).toBe('2026-05-01T10:01:00.000Z');
  });

  it('stores keys only as hashes, so no client address is kept in clear', async () => {
    const limits = createRateLimitStore(db.conn, { clock, logger, secret: 'a test secret' });
    await limits.hit('login:ip:203.0.113.7:round-1', 60_000);

    const stored = await db.conn.collection<{ key: string }>('rate_limits').find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain('203.0.113.7');
    expect(JSON.stringify(stored)).not.toContain('round-1');
    // Not a plain hash either, which trying every IPv4 address would undo.
    const plain = createHash('sha256').update('login:ip:203.0.113.7:round-1');
    expect(stored.map((d) => d.key)).not.toContain(plain.digest('base64url'));
  });

  it('loses no hit when many arrive at once', async () => {
    const limits = createRateLimitStore(db.conn, { clock, logger, secret: 'a test secret' });

    const results = await Promise.all(
      Array.from({ length: 20 }, () => limits.hit('burst', 60_000)),
    );

    // The last hit to count sees all twenty; none is lost, whatever the interleaving.
    expect(Math.max(...results.map((r) => r.count))).toBe(20);
    expect((await limits.hit('burst', 60_000)).count).toBe(21);
  });
});
