import request from 'supertest';
import type { Express } from 'express';
import { createAccountRepository } from '../../../src/features/accounts/account.repository';
import { ErrorBody } from '../../../src/shared/http/error-body';
import { FIXED_NOW, buildTestApp } from '../../support/app';
import { PASSWORD, bearer, signedInAgent, submitForm, type Agent } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';

/**
 * API tokens that expire, and the record of their last use: the expiry is checked in code on
 * every request (no TTL index), and a use is written at most once an hour. Time moves through
 * the app's injected clock, never by waiting.
 */
let db: TestDatabase;
let app: Express;
let now: Date;
let coach: { agent: Agent; email: string };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const later = (ms: number) => new Date(FIXED_NOW.getTime() + ms);

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn, {
    clock: () => now,
    env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '1000', AUTH_RATE_LIMIT_PER_IP: '1000' },
  });
  now = FIXED_NOW;
  coach = await signedInAgent(app);
});
beforeEach(() => {
  now = FIXED_NOW;
});
afterAll(() => db.drop());

const tokens = () => db.conn.collection('api_tokens');
const storedToken = (tokenId: string) => tokens().findOne({ _id: tokenId as never });
const teams = (token: string) => request(app).get('/api/v1/teams').set(bearer(token));

function exchange(extra: Record<string, unknown>) {
  return request(app)
    .post('/api/v1/auth/tokens')
    .send({ email: coach.email, password: PASSWORD, ...extra });
}

describe('POST /api/v1/auth/tokens with expiresInDays', () => {
  it('answers 201 with expiresAt; the token works until then, and from then on answers 401 TOKEN_EXPIRED', async () => {
    // Arrange
    const created = await exchange({ name: 'Nightly export', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const body = created.body as { token: string; tokenId: string; expiresAt: string };
    const expiresAt = later(30 * DAY);
    expect(body.expiresAt).toBe(expiresAt.toISOString());
    expect((await storedToken(body.tokenId))?.expiresAt).toEqual(expiresAt);

    // Act
    now = later(30 * DAY - MINUTE);
    const before = await teams(body.token);
    now = expiresAt;
    const at = await teams(body.token);
    now = later(200 * DAY);
    const long = await teams(body.token);

    // Assert
    expect(before.status).toBe(200);
    for (const res of [at, long]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const error = ErrorBody.parse(res.body).error;
      expect(error.code).toBe('TOKEN_EXPIRED');
      expect(error.message).toBe(
        'This API token expired on 2026-04-01 at 10:00 UTC. Create a new one on your account page, or with POST /api/v1/auth/tokens.',
      );
    }
  });

  it.each([
    ['left out', {}],
    ['null', { expiresInDays: null }],
  ])('with expiresInDays %s, gives a token that never expires', async (_what, extra) => {
    const created = await exchange({ name: 'Forever', ...extra });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBeNull();

    now = later(3 * 365 * DAY);
    expect((await teams(created.body.token as string)).status).toBe(200);
  });

  it.each([
    ['zero', 0],
    ['more than a year', 366],
    ['a fraction', 1.5],
    ['negative', -1],
    ['a string of digits', '30'],
    ['"never" (the page’s word, not the API’s)', 'never'],
    ['an object', { $gt: 0 }],
  ])(
    'with expiresInDays %s, answers 400 VALIDATION_FAILED and stores nothing',
    async (_what, value) => {
      const before = await tokens().countDocuments();

      const res = await exchange({ name: 'Bad expiry', expiresInDays: value });

      expect(res.status).toBe(400);
      const error = ErrorBody.parse(res.body).error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { path: 'expiresInDays', message: 'Choose from 1 to 365 days, or "never"' },
      ]);
      expect(await tokens().countDocuments()).toBe(before);
    },
  );
});

describe('the last use of a token', () => {
  it('is recorded at the first use, then not rewritten within the hour, then again', async () => {
    const { token, tokenId } = (await exchange({ name: 'Busy script' })).body as {
      token: string;
      tokenId: string;
    };
    expect((await storedToken(tokenId))?.lastUsedAt).toBeNull();

    now = later(MINUTE);
    expect((await teams(token)).status).toBe(200);
    expect((await storedToken(tokenId))?.lastUsedAt).toEqual(later(MINUTE));

    // Many requests within the hour leave the record as it was.
    for (const minutes of [2, 30, 60]) {
      now = later(minutes * MINUTE);
      expect((await teams(token)).status).toBe(200);
    }
    expect((await storedToken(tokenId))?.lastUsedAt).toEqual(later(MINUTE));

    now = later(62 * MINUTE);
    expect((await teams(token)).status).toBe(200);
    expect((await storedToken(tokenId))?.lastUsedAt).toEqual(later(62 * MINUTE));
  });

  it('is not written again by an instance that read the record before another wrote it', async () => {
    // Two instances read lastUsedAt = null for one token; the first records its use.
    const { tokenId } = (await exchange({ name: 'Two instances' })).body as { tokenId: string };
    const repository = createAccountRepository(db.conn);
    const first = later(MINUTE);
    const second = later(MINUTE + 1000);
    const hourBefore = (at: Date) => new Date(at.getTime() - 60 * MINUTE);

    await repository.touchToken(tokenId, first, hourBefore(first));
    await repository.touchToken(tokenId, second, hourBefore(second));

    expect((await storedToken(tokenId))?.lastUsedAt).toEqual(first);
  });
});

describe('API tokens on the account page', () => {
  const createOnPage = (fields: Record<string, string>) =>
    submitForm(coach.agent, '/account', '/account/tokens', fields);
  const rowOf = (html: string, name: string) =>
    new RegExp(`<tr>\\s*<td>${name}</td>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

  it('offers 90 days first, and "never"', async () => {
    const page = await coach.agent.get('/account');

    expect(page.text).toContain('<label for="field-expiresInDays">Expires after</label>');
    expect(page.text).toContain('<option value="90" selected>90 days</option>');
    expect(page.text).toContain('<option value="never">Never</option>');
  });

  it('creates a token with the chosen expiry and says until when it works', async () => {
    const res = await createOnPage({ name: 'Quarterly export', expiresInDays: '30' });

    expect(res.status).toBe(201);
    expect(res.text).toContain('It works until 2026-04-01.');
    const stored = await tokens().findOne({ name: 'Quarterly export' });
    expect(stored?.expiresAt).toEqual(later(30 * DAY));
    const row = rowOf(res.text, 'Quarterly export');
    expect(row).toContain('<td data-label="Created">2026-03-02</td>');
    expect(row).toContain('<td data-label="Last used">not yet</td>');
    expect(row).toContain('<td data-label="Expires">2026-04-01</td>');
  });

  it('creates a token that never expires when asked to', async () => {
    const res = await createOnPage({ name: 'Dashboard feed', expiresInDays: 'never' });

    expect(res.status).toBe(201);
    expect(res.text).toContain('It never expires');
    expect((await tokens().findOne({ name: 'Dashboard feed' }))?.expiresAt).toBeNull();
    expect(rowOf(res.text, 'Dashboard feed')).toContain('<td data-label="Expires">never</td>');
  });

  it('shows the day of the last use after the token is used', async () => {
    const created = await createOnPage({ name: 'Used script', expiresInDays: '7' });
    const token = /id="new-token">(tl_[\w-]+)</.exec(created.text)?.[1] ?? '';

    now = later(2 * DAY);
    expect((await teams(token)).status).toBe(200);
    const page = await coach.agent.get('/account');

    expect(rowOf(page.text, 'Used script')).toContain('<td data-label="Last used">2026-03-04</td>');
  });

  it('marks a token past its expiry as expired, and it is refused', async () => {
    const created = await createOnPage({ name: 'Short lived', expiresInDays: '7' });
    const token = /id="new-token">(tl_[\w-]+)</.exec(created.text)?.[1] ?? '';

    now = later(8 * DAY);
    const page = await coach.agent.get('/account');
    const api = await teams(token);

    expect(rowOf(page.text, 'Short lived')).toContain(
      '<td data-label="Expires"><span class="badge badge--expired">expired</span> 2026-03-09</td>',
    );
    expect(api.status).toBe(401);
    expect(ErrorBody.parse(api.body).error.code).toBe('TOKEN_EXPIRED');
  });

  it.each([['0'], ['366'], ['abc'], [''], ['30.5']])(
    'with expiry %j, answers 400 with the form again, the name kept, nothing stored',
    async (value) => {
      const before = await tokens().countDocuments();

      const res = await createOnPage({ name: 'Kept <name>', expiresInDays: value });

      expect(res.status).toBe(400);
      expect(res.text).toContain('Expires after: Choose from 1 to 365 days, or &quot;never&quot;');
      expect(res.text).toContain(
        'aria-describedby="field-expiresInDays-hint field-expiresInDays-error"',
      );
      expect(res.text).toContain('value="Kept &lt;name&gt;"');
      // Not an offered choice: the list shows the default again, not its first option.
      expect(res.text).toContain('<option value="90" selected>');
      expect(await tokens().countDocuments()).toBe(before);
    },
  );

  it('keeps the chosen expiry when another field is wrong', async () => {
    const before = await tokens().countDocuments();

    const res = await createOnPage({ name: ' ', expiresInDays: '365' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('Token name: Name the token');
    expect(res.text).toContain('<option value="365" selected>1 year</option>');
    expect(await tokens().countDocuments()).toBe(before);
  });
});
