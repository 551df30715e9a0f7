import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { bearer, signedInAgent, submitForm, type Agent } from '../../support/auth';
import { apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { elementById } from '../../support/html';

/**
 * Issue #21, point 6 (the new-round form): every mistake is reported in one pass with the
 * values kept, an unknown team or questionnaire stays chosen, and a viewer is not offered a
 * form it cannot send.
 */
let db: TestDatabase;
let app: Express;
let owner: Agent;
let teamId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  owner = (await signedInAgent(app)).agent;
  const team = await submitForm(owner, '/teams', '/teams', { name: 'Atlas' });
  teamId = String(team.headers.location).split('/').pop() ?? '';
});
afterAll(() => db.drop());

const form = (fields: Record<string, string>) =>
  submitForm(owner, '/rounds/new', '/rounds/new', {
    anonymity: 'anonymous',
    access: 'link',
    minGroupSize: '3',
    ...fields,
  });
const roundCount = () => db.conn.collection('rounds').countDocuments();

describe('POST /rounds/new', () => {
  it('reports a past closing date together with the other mistakes, keeping every value', async () => {
    const before = await roundCount();

    const res = await form({
      teamId,
      questionnaire: 'active-practice',
      title: '',
      closesOn: '2020-01-01',
    });

    expect(res.status).toBe(400);
    expect(elementById(res.text, 'field-title-error')).toContain('Enter a title');
    expect(elementById(res.text, 'field-closesOn-error')).toContain(
      'The closing date must be in the future.',
    );
    expect(res.text).toContain('value="2020-01-01"');
    expect(res.text).toMatch(new RegExp(`<option value="${teamId}" selected>Atlas</option>`));
    expect(res.text).toMatch(/<option value="active-practice" selected>/);
    expect(await roundCount()).toBe(before);
  });

  it('keeps an unknown team and questionnaire chosen, each with its error, all at once', async () => {
    const res = await form({
      teamId: 'no-such-team',
      questionnaire: 'no-such-<questionnaire>',
      title: 'Autumn',
      closesOn: '2020-01-01',
    });

    expect(res.status).toBe(400);
    expect(elementById(res.text, 'field-teamId-error')).toContain('no such team');
    expect(elementById(res.text, 'field-questionnaire-error')).toContain('no questionnaire');
    expect(elementById(res.text, 'field-closesOn-error')).toContain('in the future');
    expect(res.text).toContain(
      '<option value="no-such-team" selected>Unknown team: no-such-team</option>',
    );
    expect(res.text).toContain(
      '<option value="no-such-&lt;questionnaire&gt;" selected>Unknown questionnaire: no-such-&lt;questionnaire&gt;</option>',
    );
    expect(res.text).toContain('value="Autumn"');
  });

  it('shows a lone unknown team next to its select (not an error page)', async () => {
    const res = await form({ teamId: 'gone', questionnaire: 'active-practice', title: 'T' });
    expect(res.status).toBe(404);
    expect(elementById(res.text, 'field-teamId-error')).toContain('no such team');
    expect(res.text).toContain('<option value="gone" selected>');
  });
});

describe('the API reports all problems of a new round at once', () => {
  it('answers 400 listing the past date, the unknown team and the unknown questionnaire', async () => {
    const coach = await apiSignup(app);
    const res = await request(app)
      .post('/api/v1/rounds')
      .set(bearer(coach.token))
      .send({
        teamId: 'nope',
        questionnaire: { slug: 'nope' },
        title: 'T',
        closesAt: '2020-01-01T00:00:00Z',
      });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'closesAt',
      'questionnaire',
      'teamId',
    ]);
  });
});

describe('a viewer', () => {
  let viewer: Agent;

  beforeAll(async () => {
    const invite = await submitForm(owner, '/workspace', '/workspace/invitations', {
      role: 'viewer',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    viewer = (await signedInAgent(app, { name: 'Vera Viewer' })).agent;
    await submitForm(viewer, `/invitations/${link}`, `/invitations/${link}`, {});
  });

  it('gets a page saying only coaches start rounds, not a form, at GET /rounds/new', async () => {
    const res = await viewer.get(`/rounds/new?teamId=${teamId}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only coaches start rounds');
    expect(res.text).not.toContain('<form class="form"');
  });

  it('is offered no "New round" on the team page or the dashboard', async () => {
    for (const path of [`/teams/${teamId}`, '/dashboard']) {
      const res = await viewer.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Atlas');
      expect(res.text).not.toContain('/rounds/new');
    }
  });
});
