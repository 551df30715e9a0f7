import request from 'supertest';
import type { Express } from 'express';
import {
  type Agent,
  PASSWORD,
  anEmail,
  bearer,
  signedInAgent,
  submitForm,
} from '../../support/auth';
import { type Account, type Api, type anOpenRound, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { aDcfAnswer } from '../../support/factories';

/**
 * Names and titles reach e-mail subjects, CSV files and pages: a line break or another control
 * character in one is refused with 400 VALIDATION_FAILED, through the API and the forms alike,
 * and nothing is stored.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let round: Awaited<ReturnType<typeof anOpenRound>>;
let named: Awaited<ReturnType<typeof anOpenRound>>;

/** The classic header injection: a second line that the mail server reads as a header. */
const INJECTION = 'North\r\nBcc: x@y.example';
const ONE_LINE = 'Use one line, without tabs, line breaks or other control characters.';

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  round = await api.openRound();
  named = await api.openRound({ anonymity: 'named' });
});
afterAll(() => db.drop());

async function counts(): Promise<Record<string, number>> {
  const names = ['users', 'workspaces', 'teams', 'rounds', 'actions', 'responses'];
  const entries = await Promise.all(
    names.map(async (name) => [name, await db.conn.collection(name).countDocuments()] as const),
  );
  return Object.fromEntries(entries);
}

describe('the API', () => {
  const CASES: readonly {
    what: string;
    method: 'post' | 'patch';
    path: () => string;
    body: () => object;
    auth: boolean;
    paths: string[];
  }[] = [
    {
      what: 'a team name with CR LF',
      method: 'post',
      path: () => '/api/v1/teams',
      body: () => ({ name: INJECTION }),
      auth: true,
      paths: ['name'],
    },
    {
      what: 'a team renamed with LF, and a tag with a tab',
      method: 'patch',
      path: () => `/api/v1/teams/${round.teamId}`,
      body: () => ({ name: 'North\nSouth', tags: ['a\tb'] }),
      auth: true,
      paths: ['name', 'tags.0'],
    },
    {
      what: 'a round title with CR LF',
      method: 'post',
      path: () => '/api/v1/rounds',
      body: () => ({
        teamId: round.teamId,
        questionnaire: { slug: 'active-practice' },
        title: 'Q3\r\nBcc: x@y.example',
      }),
      auth: true,
      paths: ['title'],
    },
    {
      what: 'a user name with LF and a workspace name with a right-to-left override',
      method: 'post',
      path: () => '/api/v1/auth/signup',
      body: () => ({
        name: 'Sam\nBcc: x@y.example',
        email: anEmail(),
        password: PASSWORD,
        workspaceName: 'Studio \u202Etxt.exe',
      }),
      auth: false,
      paths: ['name', 'workspaceName'],
    },
    {
      what: 'an action title with a line separator and notes with NUL',
      method: 'post',
      path: () => `/api/v1/teams/${round.teamId}/actions`,
      body: () => ({ sourceRoundId: round.roundId, title: 'Do\u2028it', notes: 'a\u0000b' }),
      auth: true,
      paths: ['title', 'notes'],
    },
    {
      what: 'a respondent name with CR LF and an answer with an escape sequence',
      method: 'post',
      path: () => `/api/v1/r/${named.link}`,
      body: () => {
        const answer = aDcfAnswer('\u001B[2Jcleared');
        return { ...answer, name: 'Kim\r\nBcc: x@y.example' };
      },
      auth: false,
      paths: ['name', 'answers.0.text'],
    },
  ];

  it.each(CASES)(
    'refuses $what with 400 VALIDATION_FAILED, names each field, and stores nothing',
    async ({ method, path, body, auth, paths }) => {
      const before = await counts();
      const team = await db.conn.collection('teams').findOne({});

      const call = request(app)[method](path());
      const res = await (auth ? call.set(bearer(coach.token)) : call).send(body());

      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const error = res.body.error as { code: string; details: { path: string }[] };
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.map((d) => d.path).sort()).toEqual([...paths].sort());
      expect(await counts()).toEqual(before);
      expect(await db.conn.collection('teams').findOne({ _id: team?._id })).toEqual(team);
    },
  );

  it('keeps line breaks in multi-line text: notes written in a textarea', async () => {
    const res = await api.post(`/teams/${round.teamId}/actions`, {
      sourceRoundId: round.roundId,
      title: 'Pair weekly',
      notes: 'Mondays\r\nFridays',
    });

    expect(res.status).toBe(201);
    expect(res.body.notes).toBe('Mondays\r\nFridays');
  });
});

describe('the forms', () => {
  let agent: Agent;
  let teamId: string;

  beforeAll(async () => {
    ({ agent } = await signedInAgent(app));
    const created = await submitForm(agent, '/teams', '/teams', { name: 'Own team' });
    teamId = /\/teams\/([\w-]+)/.exec(created.headers.location ?? '')?.[1] ?? '';
  });

  it('a new team named with CR LF: 400, the message, the value kept, nothing stored', async () => {
    const before = await counts();

    const res = await submitForm(agent, '/teams', '/teams', { name: INJECTION, tags: '' });

    expect(res.status).toBe(400);
    expect(res.text).toContain(ONE_LINE);
    expect(res.text).toContain(`value="${INJECTION}"`);
    expect(await counts()).toEqual(before);
  });

  it('a new round titled with CR LF: 400, the message, the value kept, nothing stored', async () => {
    const before = await counts();

    const res = await submitForm(agent, `/rounds/new?teamId=${teamId}`, '/rounds/new', {
      teamId,
      questionnaire: 'active-practice',
      title: 'Q3\r\nBcc: x@y.example',
      anonymity: 'anonymous',
      minGroupSize: '3',
      closesOn: '',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain(ONE_LINE);
    expect(res.text).toContain('value="Q3\r\nBcc: x@y.example"');
    expect(await counts()).toEqual(before);
  });
});
