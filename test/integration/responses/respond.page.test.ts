import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { type Api, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { all, elementById } from '../../support/html';
import { dcfForm, keyOf } from '../../support/respondent-form';
import { countStoredResponses, storedResponses } from '../../support/responses';

let db: TestDatabase, app: Express, api: Api;

beforeAll(async () => {
  ({ db, app, api } = await openCoachApp());
});
afterAll(() => db.drop());

const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('tlr_')) ?? '';

describe('GET /r/:token', () => {
  it('names the team as it is now: renamed after the page was served, and on rounds from before the name was kept', async () => {
    const { link, roundId, teamId } = await api.openRound({ teamName: 'Platform' });
    expect((await request(app).get(`/r/${link}`)).text).toContain('Platform');

    const renamed = await api.patch(`/teams/${teamId}`, { name: 'Platform & Payments' });
    expect(renamed.status).toBe(200);
    const afterRename = (await request(app).get(`/r/${link}`)).text;
    expect(afterRename).toContain('Platform &amp; Payments');
    expect(await db.conn.collection('rounds').findOne({ _id: roundId as never })).toMatchObject({
      teamName: 'Platform & Payments',
    });

    // A round stored before rounds kept the team's name is served with the team's.
    await db.conn
      .collection('rounds')
      .updateOne({ _id: roundId as never }, { $unset: { teamName: 1 } });
    const legacy = buildTestApp(db.conn);
    expect((await request(legacy).get(`/r/${link}`)).text).toContain('Platform &amp; Payments');
  });

  it('renders the questionnaire as a form with every item, without creating a session', async () => {
    const { link } = await api.openRound({
      slug: 'tensions-in-how-we-work',
      teamName: 'Team <i>X</i>',
    });
    const sessionsBefore = await db.conn.collection('sessions').countDocuments();

    const res = await request(app).get(`/r/${link}`);

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Team &lt;i&gt;X&lt;/i&gt;');
    expect(res.text).toContain('14 questions in 4 parts.');
    expect(res.text).toContain('This round is anonymous');
    expect(all(res.text, /<fieldset class="item item--tension"/)).toHaveLength(14);
    expect(res.text).not.toMatch(/ disabled>/);
    expect(res.text).not.toContain('<nav aria-label="Main">');
    expect(keyOf(res.text)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieOf(res)).toMatch(
      /^tlr_[A-Za-z0-9_-]+=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/r\/; .*HttpOnly; SameSite=Lax/,
    );
    expect(await db.conn.collection('sessions').countDocuments()).toBe(sessionsBefore);
  });

  it('in a named round asks for a name and a role', async () => {
    const { link } = await api.openRound({ anonymity: 'named' });
    const res = await request(app).get(`/r/${link}`);
    expect(res.text).toContain('<label for="field-respondentName">Your name (required)</label>');
    expect(res.text).toContain('This round is named');
  });
});

describe('POST /r/:token', () => {
  it('stores the answer and goes to the thank-you page; coming back shows the answer to edit', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    const page = await agent.get(`/r/${link}`);

    const res = await agent
      .post(`/r/${link}`)
      .type('form')
      .send(dcfForm(keyOf(page.text)));

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/r/${link}/thanks`);
    const thanks = await agent.get(`/r/${link}/thanks`);
    expect(thanks.text).toContain('Your answers to <strong>Round under test</strong>');
    expect(thanks.text).toContain(`href="/r/${link}"`);
    const again = await agent.get(`/r/${link}`);
    expect(again.text).toMatch(/You answered on \d{4}-\d{2}-\d{2}/);
    expect(again.text).toContain('Ship the &lt;b&gt;new&lt;/b&gt; onboarding</textarea>');
    expect(again.text).toMatch(/name="effort-aspects.scope" value="driver" checked required>/);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });

  it('takes text pasted with invisible control characters, each stored as a space', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    const key = keyOf((await agent.get(`/r/${link}`)).text);

    const res = await agent
      .post(`/r/${link}`)
      .type('form')
      .send(dcfForm(key, { 'effort-in-one-sentence.text': 'Ship\u000Bonboarding' }));

    expect(res.status).toBe(303);
    const stored = (await storedResponses(db.conn, roundId))[0];
    expect(JSON.stringify(stored)).toContain('Ship onboarding');
  });

  it('stores exactly one response for a double click (the same form sent twice)', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    const form = dcfForm(keyOf((await agent.get(`/r/${link}`)).text));

    const [a, b] = await Promise.all([
      agent.post(`/r/${link}`).type('form').send(form),
      agent.post(`/r/${link}`).type('form').send(form),
    ]);

    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });

  it('on missing answers answers 400 with every value kept and a summary linking to each problem', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    const key = keyOf((await agent.get(`/r/${link}`)).text);

    const res = await agent
      .post(`/r/${link}`)
      .type('form')
      .send(dcfForm(key, { 'effort-aspects.date': '', 'effort-in-one-sentence.text': '' }));

    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(
      '<a href="#q-effort-in-one-sentence-text">Question 1: Write an answer</a>',
    );
    expect(res.text).toContain(
      '<a href="#q-effort-aspects-date-driver">Question 2: Choose driver, constraint or float</a>',
    );
    expect(res.text).toMatch(/name="effort-aspects.scope" value="driver" checked required>/);
    expect(elementById(res.text, 'item-effort-aspects')).toContain(
      'aria-describedby="item-effort-aspects-error"',
    );
    expect(await countStoredResponses(db.conn, roundId)).toBe(0);
  });

  it('refuses a form whose key does not match the cookie (sent from another page) with 403', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    await agent.get(`/r/${link}`);

    const res = await agent
      .post(`/r/${link}`)
      .type('form')
      .send(dcfForm('a'.repeat(43)));

    expect(res.status).toBe(403);
    expect(await countStoredResponses(db.conn, roundId)).toBe(0);
  });

  it('never adopts the key of a form sent without its cookie: the answer gets a new key, and the form’s reads nothing', async () => {
    // Arrange: a key someone knows, from a page they loaded themselves.
    const { link, roundId } = await api.openRound();
    const known = keyOf((await request(app).get(`/r/${link}`)).text);

    // Act: a form carrying it, without the round's cookie (as a cross-site post arrives).
    const res = await request(app).post(`/r/${link}`).type('form').send(dcfForm(known));

    // Assert: stored under a key of the server's choosing, given to this browser only.
    expect(res.status).toBe(303);
    const given = /tlr_[^=]+=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
    expect(given).not.toBe(known);
    const readBack = (key: string) =>
      request(app).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', key);
    expect((await readBack(known)).status).toBe(404);
    expect((await readBack(given)).status).toBe(200);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another site of the domain)', { 'Sec-Fetch-Site': 'same-site' }],
    ['a foreign Origin (a browser without Sec-Fetch-Site)', { Origin: 'http://evil.example' }],
    ['Origin: null (a sandboxed page)', { Origin: 'null' }],
  ])(
    'refuses a form posted from another site (%s) with 403, storing nothing',
    async (_, headers) => {
      const { link, roundId } = await api.openRound();
      const agent = request.agent(app);
      const key = keyOf((await agent.get(`/r/${link}`)).text);

      const res = await agent.post(`/r/${link}`).set(headers).type('form').send(dcfForm(key));

      expect(res.status).toBe(403);
      expect(res.text).toContain('Your answer was not saved');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await countStoredResponses(db.conn, roundId)).toBe(0);
    },
  );

  it('takes a form posted from its own page (Sec-Fetch-Site: same-origin, or its own Origin)', async () => {
    const { link, roundId } = await api.openRound();
    const agent = request.agent(app);
    const key = keyOf((await agent.get(`/r/${link}`)).text);
    const post = (headers: Record<string, string>) =>
      agent.post(`/r/${link}`).set(headers).type('form').send(dcfForm(key));

    const statuses = [
      (await post({ 'Sec-Fetch-Site': 'same-origin' })).status,
      // The host the browser addressed, and BASE_URL's (here the default).
      (await post({ Host: 'teamlens.test', Origin: 'http://teamlens.test' })).status,
      (await post({ Origin: 'http://localhost:3000' })).status,
    ];

    expect(statuses).toEqual([303, 303, 303]);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });
});

describe('links that take no answers', () => {
  it('a closed round shows a clear 410 page and stores nothing', async () => {
    const { link, roundId } = await api.openRound();
    const key = keyOf((await request(app).get(`/r/${link}`)).text);
    await api.post(`/rounds/${roundId}/close`);

    const page = await request(app).get(`/r/${link}`);
    const post = await request(app).post(`/r/${link}`).type('form').send(dcfForm(key));

    expect(page.status).toBe(410);
    expect(page.text).toContain('This round is closed');
    expect(page.text).toContain('your answers are kept');
    expect(post.status).toBe(410);
    expect(post.text).toContain('This round is closed');
    expect(await countStoredResponses(db.conn, roundId)).toBe(0);
  });

  it.each([
    [
      'a mistyped link',
      () => Promise.resolve('z'.repeat(32)),
      404,
      'This link does not lead to a round',
    ],
    [
      'a round not opened yet',
      async () => {
        const team = await api.post('/teams', {
          name: `Not yet ${Math.random().toString(36).slice(2)}`,
        });
        const round = await api.post('/rounds', {
          teamId: team.body.id,
          questionnaire: { slug: 'active-practice' },
          title: 'Soon',
        });
        return round.body.link.token as string;
      },
      404,
      'This round has not started yet',
    ],
  ])(
    '%s says what happened in plain words, for someone without an account',
    async (_what, linkOf, status, heading) => {
      const res = await request(app).get(`/r/${await linkOf()}`);

      expect(res.status).toBe(status);
      expect(res.text).toContain(heading);
      // No request id, no menu of an application the respondent has no account in.
      expect(res.text).not.toMatch(/Request id|Log in|Sign up|Page not found/);
    },
  );
});

describe('the coach', () => {
  it('sees the response count on the round page', async () => {
    const { link, roundId } = await api.openRound();
    for (let i = 0; i < 2; i += 1) {
      const key = keyOf((await request(app).get(`/r/${link}`)).text);
      await request(app).post(`/r/${link}`).type('form').send(dcfForm(key));
    }
    const round = await api.get(`/rounds/${roundId}`);
    expect(round.body.responseCount).toBe(2);
  });
});
