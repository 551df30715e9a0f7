import request from 'supertest';
import type { Express } from 'express';
import { RespondentRoundDto, SubmittedDto } from '../../../src/features/responses';
import { ErrorBody } from '../../../src/shared/http/error-body';
import { buildTestApp } from '../../support/app';
import { type Api, anOpenRound, apiSignup, openCoachApp } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDcfAnswer } from '../../support/factories';
import { countStoredResponses, storedResponses } from '../../support/responses';

let db: TestDatabase, app: Express, api: Api;

beforeAll(async () => {
  ({ db, app, api } = await openCoachApp());
});
afterAll(() => db.drop());

/** A complete, valid answer to the built-in "Drivers, constraints and floats". */
const dcfAnswer = (overrides: object = {}) => ({
  answers: [
    { itemId: 'effort-in-one-sentence', text: 'Ship the new onboarding' },
    {
      itemId: 'effort-aspects',
      classes: {
        scope: 'driver',
        date: 'constraint',
        cost: 'float',
        quality: 'driver',
        'user-experience': 'float',
        'technical-approach': 'float',
        'risk-compliance': 'constraint',
        learning: 'float',
      },
    },
  ],
  ...overrides,
});

describe('GET /api/v1/r/:token', () => {
  it('returns the open round and its questionnaire, without ids or the team’s workspace', async () => {
    const { link } = await api.openRound({ teamName: 'Lions' });
    const res = await request(app).get(`/api/v1/r/${link}`);

    expect(res.status).toBe(200);
    const body = RespondentRoundDto.parse(res.body);
    expect(body.round).toEqual({
      title: 'Round under test',
      teamName: 'Lions',
      anonymity: 'anonymous',
      access: 'link',
      closesAt: null,
    });
    expect(body.questionnaire.slug).toBe('drivers-constraints-floats');
  });

  it.each([
    ['an unknown link', 'x'.repeat(32), 404, 'ROUND_LINK_NOT_FOUND'],
    ['a malformed link', 'short', 400, 'VALIDATION_FAILED'],
  ])('answers %s with %i', async (_case, link, status, code) => {
    const res = await request(app).get(`/api/v1/r/${link}`);
    expect(res.status).toBe(status);
    expect(ErrorBody.parse(res.body).error.code).toBe(code);
  });
});

describe('POST /api/v1/r/:token', () => {
  it('stores one anonymous response: random id, the day only, no link token, key only as a hash', async () => {
    const { link, roundId } = await api.openRound();

    const res = await request(app).post(`/api/v1/r/${link}`).send(dcfAnswer());

    expect(res.status).toBe(201);
    const { editKey, day } = SubmittedDto.parse(res.body);
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const stored = await storedResponses(db.conn, roundId);
    expect(stored).toHaveLength(1);
    const doc = stored[0]!;
    expect(Object.keys(doc).sort()).toEqual([
      '_id',
      'answers',
      'day',
      'editKeyHash',
      'roundId',
      'votes',
      'workspaceId',
    ]);
    expect(typeof doc._id).toBe('string');
    expect(doc._id).not.toMatch(/^[0-9a-f]{24}$/);
    const text = JSON.stringify(doc);
    expect(text).not.toContain(link);
    expect(text).not.toContain(editKey);
    expect(text).not.toMatch(/T\d{2}:\d{2}/);
    expect(doc.answers).toEqual([
      { itemId: 'effort-in-one-sentence', text: 'Ship the new onboarding' },
      expect.objectContaining({
        itemId: 'effort-aspects',
        classes: expect.arrayContaining([{ aspect: 'scope', class: 'driver' }]),
      }),
    ]);
  });

  it('counts the response on the round', async () => {
    const { link, roundId } = await api.openRound();
    await request(app).post(`/api/v1/r/${link}`).send(dcfAnswer());
    await request(app).post(`/api/v1/r/${link}`).send(dcfAnswer());

    const round = await api.get(`/rounds/${roundId}`);
    expect(round.body.responseCount).toBe(2);
  });

  it('with a key of the client’s own, a retry stores one response (201, then 200)', async () => {
    const { link, roundId } = await api.openRound();
    const key = 'k'.repeat(43);

    const first = await request(app)
      .post(`/api/v1/r/${link}`)
      .set('X-Edit-Key', key)
      .send(dcfAnswer());
    const retry = await request(app)
      .post(`/api/v1/r/${link}`)
      .set('X-Edit-Key', key)
      .send(dcfAnswer());
    const malformed = await request(app)
      .post(`/api/v1/r/${link}`)
      .set('X-Edit-Key', 'short')
      .send(dcfAnswer());

    expect([first.status, retry.status, malformed.status]).toEqual([201, 200, 400]);
    expect(SubmittedDto.parse(retry.body).editKey).toBe(key);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });

  it.each([
    ['a missing required item', { answers: [] }, 'answers'],
    [
      'an aspect left out',
      dcfAnswer({
        answers: [
          { itemId: 'effort-aspects', classes: { scope: 'driver' } },
          { itemId: 'effort-in-one-sentence', text: 'x' },
        ],
      }),
      'answers.0.classes.date',
    ],
    [
      'an unknown item',
      dcfAnswer({ answers: [...dcfAnswer().answers, { itemId: 'nope', value: 1 }] }),
      'answers.2.itemId',
    ],
    [
      'an unknown class',
      dcfAnswer({ answers: [{ itemId: 'effort-aspects', classes: { scope: 'boss' } }] }),
      'answers.0.classes.scope',
    ],
    [
      'a value for a practice item',
      dcfAnswer({
        answers: [
          { itemId: 'effort-in-one-sentence', text: 'x', value: 3 },
          dcfAnswer().answers[1],
        ],
      }),
      'answers.0.value',
    ],
    [
      'a text over its limit',
      dcfAnswer({
        answers: [
          { itemId: 'effort-in-one-sentence', text: 'x'.repeat(301) },
          dcfAnswer().answers[1],
        ],
      }),
      'answers.0.text',
    ],
    ['a name in an anonymous round', dcfAnswer({ name: 'Sam' }), 'name'],
    ['an operator object', { answers: { $gt: [] } }, 'answers'],
    ['an unknown top-level key', dcfAnswer({ respondent: 'x' }), '(root)'],
  ])('refuses %s with 400 naming the path, storing nothing', async (_case, body, path) => {
    const { link, roundId } = await api.openRound();

    const res = await request(app).post(`/api/v1/r/${link}`).send(body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await countStoredResponses(db.conn, roundId)).toBe(0);
  });

  it('checks values against the scale of each item (tension 1–7, maturity levels)', async () => {
    const tensions = await api.openRound({ slug: 'tensions-in-how-we-work' });
    const res = await request(app)
      .post(`/api/v1/r/${tensions.link}`)
      .send({ answers: [{ itemId: 'busy-vs-flow', value: 8, desired: 0 }] });

    expect(res.status).toBe(400);
    const details = res.body.error.details as { path: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'answers.0.value', message: 'Choose a value from 1 to 7' },
        { path: 'answers.0.desired', message: 'Choose a value from 1 to 7' },
        { path: 'answers', message: 'Item "procedural-vs-outcome" needs an answer' },
      ]),
    );
  });

  it('in a named round requires a name and stores it with the role', async () => {
    const { link, roundId } = await api.openRound({ anonymity: 'named' });

    const missing = await request(app).post(`/api/v1/r/${link}`).send(dcfAnswer());
    const named = await request(app)
      .post(`/api/v1/r/${link}`)
      .send(dcfAnswer({ name: 'Robin', role: 'Designer' }));

    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      { path: 'name', message: 'Enter your name: this round is named' },
    ]);
    expect(named.status).toBe(201);
    expect((await storedResponses(db.conn, roundId))[0]).toMatchObject({
      respondentName: 'Robin',
      respondentRole: 'Designer',
    });
  });
});

describe('PUT and GET /api/v1/r/:token with X-Edit-Key', () => {
  it('revises the same response and reads it back', async () => {
    const { link, roundId } = await api.openRound();
    const { editKey } = (await request(app).post(`/api/v1/r/${link}`).send(dcfAnswer())).body as {
      editKey: string;
    };
    const changed = dcfAnswer({
      answers: [
        { itemId: 'effort-in-one-sentence', text: 'Changed my mind' },
        dcfAnswer().answers[1],
      ],
    });

    const put = await request(app)
      .put(`/api/v1/r/${link}`)
      .set('X-Edit-Key', editKey)
      .send(changed);
    const read = await request(app).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', editKey);

    expect(put.status).toBe(200);
    expect(read.body.answers[0]).toEqual({
      itemId: 'effort-in-one-sentence',
      text: 'Changed my mind',
    });
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });

  it('answers 404 for a key that has no answer, and 400 for a malformed key', async () => {
    const { link } = await api.openRound();
    const unknown = await request(app)
      .put(`/api/v1/r/${link}`)
      .set('X-Edit-Key', 'k'.repeat(43))
      .send(dcfAnswer());
    const malformed = await request(app)
      .put(`/api/v1/r/${link}`)
      .set('X-Edit-Key', 'nope')
      .send(dcfAnswer());

    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('RESPONSE_NOT_FOUND');
    expect(malformed.status).toBe(400);
  });
});

describe('rounds that do not take answers', () => {
  it('a closed round answers 410 and stores nothing; a rotated-away link 404', async () => {
    const closed = await api.openRound();
    await api.post(`/rounds/${closed.roundId}/close`);
    const rotated = await api.openRound();
    await api.post(`/rounds/${rotated.roundId}/rotate-link`);

    const toClosed = await request(app).post(`/api/v1/r/${closed.link}`).send(dcfAnswer());
    const toOld = await request(app).post(`/api/v1/r/${rotated.link}`).send(dcfAnswer());

    expect(toClosed.status).toBe(410);
    expect(toClosed.body.error.code).toBe('ROUND_CLOSED');
    expect(toOld.status).toBe(404);
    expect(await countStoredResponses(db.conn, closed.roundId)).toBe(0);
    expect(await countStoredResponses(db.conn, rotated.roundId)).toBe(0);
  });

  it('a draft round answers 404 like an unknown link', async () => {
    const teamId = (await api.post('/teams', { name: 'Drafty' })).body.id;
    const draft = await api.post('/rounds', {
      teamId,
      questionnaire: { slug: 'active-practice' },
      title: 'Not yet',
    });

    const res = await request(app).get(`/api/v1/r/${draft.body.link.token}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUND_NOT_STARTED');
  });
});

describe('guessing links', () => {
  it('after many unknown links from one address answers 429, while a valid link keeps working', async () => {
    // A database of its own, so that no other test's unknown links count against this address.
    const own = await openTestDatabase();
    const guessing = buildTestApp(own.conn);
    const { link } = await anOpenRound(guessing, (await apiSignup(guessing)).token);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i += 1) {
      statuses.push(
        (await request(guessing).get(`/api/v1/r/${String(i).padStart(32, 'g')}`)).status,
      );
    }

    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect((await request(guessing).get(`/api/v1/r/${link}`)).status).toBe(200);
    await own.drop();
  });
});

describe('a flood of answers from one address', () => {
  it('gets 429 with Retry-After past 300 to one round, changes nothing, and other rounds still work', async () => {
    const { link } = await api.openRound();
    const other = await api.openRound();
    const first = await request(app).post(`/api/v1/r/${link}`).send(aDcfAnswer('The first'));
    const key = first.body.editKey as string;
    for (let i = 1; i < 300; i += 1) {
      const res = await request(app)
        .put(`/api/v1/r/${link}`)
        .set('X-Edit-Key', key)
        .send(aDcfAnswer(`Revision ${i}`));
      expect(res.status).toBe(200);
    }
    const before = await countStoredResponses(db.conn);

    const refused = await request(app).post(`/api/v1/r/${link}`).send(aDcfAnswer('One too many'));

    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(await countStoredResponses(db.conn)).toBe(before);
    const stored = await request(app).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', key);
    expect(stored.body.answers[0]).toMatchObject({ text: 'Revision 299' });
    expect(
      (await request(app).post(`/api/v1/r/${other.link}`).send(aDcfAnswer('Elsewhere'))).status,
    ).toBe(201);
  });
});
