import type { Express } from 'express';
import { Ajv2020 } from 'ajv/dist/2020';
import { ActionDto } from '../../../src/features/actions';
import { RoundReportDto } from '../../../src/features/reports';
import { movingClock, openApiDocumentOf } from '../../support/app';
import { csrfOf, loggedInAgent } from '../../support/auth';
import { type Account, type Api, apiFor, apiSignup, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { all } from '../../support/html';
import { aDefinition, aMaturityItem, aTensionItem } from '../../support/factories';

/**
 * Actions end to end through the API and the pages: agreed on an item of one round, followed up
 * in the report of the team's next round of the questionnaire with the item's figures before
 * and after — compared, below k, or not comparable after a new questionnaire version — and
 * refused with a 4xx that changes nothing when the input is bad or the action is not yours.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let outsider: Account;
let slugs = 0;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ clock: movingClock() }));
  outsider = await apiSignup(app);
});
afterAll(() => db.drop());

/** A questionnaire with a tension ("pace") and a maturity item ("level"). */
async function aQuestionnaire(levelStatement = 'We finish what we start.') {
  slugs += 1;
  const slug = `acting-${slugs}`;
  await aVersion(slug, levelStatement);
  return slug;
}

/** A version of `slug`; a later one that edits "level" says its meaning changed (lineage). */
function aVersion(slug: string, levelStatement: string, lineage?: Record<string, string>) {
  return api.questionnaire({
    ...aDefinition({
      slug,
      version: undefined,
      title: `Acting ${slug}`,
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [
            aTensionItem({ id: 'pace' }),
            aMaturityItem({ id: 'level', statement: levelStatement }),
          ],
        },
      ],
    }),
    ...(lineage ? { lineage } : {}),
  });
}

/** A round answered by one person per value pair [pace, level]. */
async function aRound(slug: string, teamId: string, answers: [number, number][]) {
  const people = answers.map(([pace, level]) => ({
    answers: [
      { itemId: 'pace', value: pace },
      { itemId: 'level', value: level },
    ],
  }));
  return (await api.answeredRound({ slug, teamId, title: 'Round' }, people)).roundId;
}

/** Three people, [pace, level] each: leaning left and low, then right and higher. */
const LOW: [number, number][] = [
  [2, 2],
  [2, 2],
  [3, 3],
];
const HIGH: [number, number][] = [
  [4, 3],
  [5, 3],
  [5, 4],
];

async function actionCount(): Promise<number> {
  return db.conn.collection('actions').countDocuments();
}

describe('an action agreed on an item of round 1', () => {
  it('is followed up in round 2’s report with the item before and after, towards its pole', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const first = await aRound(slug, teamId, LOW);
    const created = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: first,
      itemId: 'pace',
      pole: 'right',
      title: 'Ship in smaller slices',
      owner: 'the team',
      dueOn: '2026-12-31',
      notes: 'Discussed in the workshop.',
    });
    expect(created.status).toBe(201);
    const action = ActionDto.parse(created.body);
    expect(action).toMatchObject({ status: 'open', overdue: false, itemId: 'pace' });

    const second = await aRound(slug, teamId, HIGH);
    const report = RoundReportDto.parse((await api.get(`/rounds/${second}/report`)).body);

    expect(report.actions).toHaveLength(1);
    const followUp = report.actions[0]!;
    expect(followUp).toMatchObject({
      id: action.id,
      title: 'Ship in smaller slices',
      comparison: 'compared',
      before: { n: 3, lean: 'left' },
      after: { n: 3 },
      towardsTarget: true,
      sourceRound: { id: first },
      item: { id: 'pace', kind: 'tension' },
    });
    expect(followUp.before!.mean).toBeCloseTo(7 / 3, 10);
    expect(followUp.after!.mean).toBeCloseTo(14 / 3, 10);
    expect(followUp.change).toBeCloseTo(7 / 3, 10);
    // Followed up above, so not listed again among the open actions (#21: listed twice).
    expect(report.summary.openActions).toEqual([]);
    // Round 1's own report lists it as agreed there, not as a follow-up.
    const firstReport = RoundReportDto.parse((await api.get(`/rounds/${first}/report`)).body);
    expect(firstReport.actions).toEqual([]);
    expect(firstReport.agreedActions.map((a) => a.id)).toEqual([action.id]);

    // The page, the JSON export and the trend say the same.
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(`/reports/rounds/${second}`);
    expect(page.text).toContain('Actions since the last round');
    expect(page.text).toContain('Mean 2.33 → 4.67 (+2.33)');
    expect(page.text).toContain('Moved towards');
    // Once in the follow-ups, once marked at its item; no "Open actions" list repeats it.
    expect(page.text.split('Ship in smaller slices')).toHaveLength(3);
    expect(page.text).not.toContain('Open actions');
    const json = await api.get(`/rounds/${second}/export.json`);
    expect(JSON.parse(json.text).report.actions[0]).toMatchObject({
      id: action.id,
      change: expect.any(Number),
    });
    const trend = await api.get(`/teams/${teamId}/trend?questionnaire=${slug}`);
    expect(
      trend.body.rounds.map((r: { actions: { id: string }[] }) => r.actions.map((a) => a.id)),
    ).toEqual([[action.id], []]);
  });

  it('follows up only the previous round of the same questionnaire; older reports list no later action', async () => {
    const [a, b] = [await aQuestionnaire(), await aQuestionnaire()];
    const teamId = await api.team();
    const aFirst = await aRound(a, teamId, LOW);
    const created = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: aFirst,
      itemId: 'pace',
      title: 'From questionnaire A',
    });
    const bFirst = await aRound(b, teamId, [
      [4, 4],
      [4, 4],
      [4, 4],
    ]);

    const bReport = RoundReportDto.parse((await api.get(`/rounds/${bFirst}/report`)).body);
    expect(bReport.actions).toEqual([]);
    // Still open, so the summary of the later round of B lists it among the open actions.
    expect(bReport.summary.openActions.map((x) => x.id)).toEqual([created.body.id]);

    const later = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: bFirst,
      title: 'From questionnaire B',
    });
    const aReport = RoundReportDto.parse((await api.get(`/rounds/${aFirst}/report`)).body);
    expect(aReport.summary.openActions.map((x) => x.id)).not.toContain(later.body.id);
  });

  it('shows no figure when one of the rounds is below k', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const first = await aRound(slug, teamId, LOW);
    await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: first,
      itemId: 'level',
      title: 'Finish before starting',
    });
    const second = await aRound(slug, teamId, [[6, 5]]);

    const report = RoundReportDto.parse((await api.get(`/rounds/${second}/report`)).body);
    expect(report.suppressed).toBe(true);
    expect(report.actions[0]).toMatchObject({
      comparison: 'below-k',
      before: null,
      after: null,
      change: null,
    });
    const page = await (await loggedInAgent(app, coach.email)).get(`/reports/rounds/${second}`);
    expect(page.text).toContain('Not compared: too few people answered');
    expect(page.text).not.toContain('Mean 2.33');
  });

  it('is "not comparable" when a new questionnaire version changed the item', async () => {
    const slug = await aQuestionnaire('We finish what we start.');
    const teamId = await api.team();
    const first = await aRound(slug, teamId, LOW);
    for (const itemId of ['level', 'pace']) {
      await api.post(`/teams/${teamId}/actions`, {
        sourceRoundId: first,
        itemId,
        title: itemId,
      });
    }
    await aVersion(slug, 'We finish the work we start before we take on more.', {
      level: 'changed',
    });
    const second = await aRound(slug, teamId, HIGH);

    const report = RoundReportDto.parse((await api.get(`/rounds/${second}/report`)).body);
    const byItem = Object.fromEntries(report.actions.map((a) => [a.item!.id, a]));
    expect(report.questionnaire.version).toBe(2);
    expect(byItem.level).toMatchObject({ comparison: 'not-comparable', before: null });
    expect(byItem.pace).toMatchObject({ comparison: 'compared' });
  });

  it('validates the report, the trend and the comparison against the OpenAPI document', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const first = await aRound(slug, teamId, LOW);
    await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: first,
      itemId: 'pace',
      pole: 'left',
      title: 'Slow down',
    });
    await api.post(`/teams/${teamId}/actions`, { sourceRoundId: first, title: 'General' });
    const second = await aRound(slug, teamId, HIGH);
    const doc = openApiDocumentOf(app) as { components: { schemas: Record<string, object> } };
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      ajv.addSchema(schema, `#/components/schemas/${name}`);
    }
    const problems = async (schema: string, path: string) => {
      const validate = ajv.getSchema(`#/components/schemas/${schema}`)!;
      const res = await api.get(path);
      expect(res.status).toBe(200);
      return validate(res.body) ? [] : validate.errors;
    };
    expect(await problems('RoundReport', `/rounds/${second}/report`)).toEqual([]);
    expect(await problems('Trend', `/teams/${teamId}/trend?questionnaire=${slug}`)).toEqual([]);
    expect(await problems('Comparison', `/reports/compare?rounds=${first},${second}`)).toEqual([]);
    expect(await problems('Comparison', `/reports/compare?rounds=${first}&hideNames=true`)).toEqual(
      [],
    );
    const body = (await api.get(`/rounds/${second}/report`)).body;
    expect(body.actions.map((a: { towardsTarget: boolean | null }) => a.towardsTarget)).toEqual(
      expect.arrayContaining([false, null]),
    );
  });
});

describe('the actions API', () => {
  let teamId: string;
  let roundId: string;
  let actionId: string;

  beforeAll(async () => {
    const slug = await aQuestionnaire();
    teamId = await api.team();
    roundId = await aRound(slug, teamId, [[2, 2]]);
    const created = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      itemId: 'pace',
      title: 'Edit me',
    });
    actionId = created.body.id as string;
  });

  it('lists, changes and deletes an action', async () => {
    const listed = await api.get(`/teams/${teamId}/actions`);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(actionId);

    const changed = await api.patch(`/actions/${actionId}`, {
      status: 'done',
      owner: '',
      dueOn: '2026-01-15',
      pole: 'left',
    });
    expect(changed.status).toBe(200);
    expect(ActionDto.parse(changed.body)).toMatchObject({
      status: 'done',
      owner: null,
      dueOn: '2026-01-15',
      pole: 'left',
      overdue: false,
    });

    const extra = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      title: 'Delete me',
    });
    expect((await api.delete(`/actions/${extra.body.id}`)).status).toBe(204);
    expect((await api.get(`/actions/${extra.body.id}`)).status).toBe(404);
  });

  it('marks an open action past its due day as overdue', async () => {
    const res = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      title: 'Late',
      dueOn: '2026-01-01',
    });
    expect(res.body.overdue).toBe(true);
  });

  it('exports the team’s actions as CSV, with text that could be a formula neutralised', async () => {
    await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      title: '=HYPERLINK("http://evil.example")',
      owner: 'Chloé',
    });
    const csv = await api.get(`/teams/${teamId}/actions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('\uFEFFtitle,status,overdue,owner,dueOn')).toBe(true);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv.text).toContain('Chloé');
    expect(csv.text).toContain('1. ');
  });

  const BAD_CREATES: readonly [string, () => object][] = [
    ['an empty title', () => ({ sourceRoundId: roundId, title: '   ' })],
    ['a title of 201 characters', () => ({ sourceRoundId: roundId, title: 'x'.repeat(201) })],
    [
      'notes of 2,001 characters',
      () => ({ sourceRoundId: roundId, title: 'T', notes: 'n'.repeat(2001) }),
    ],
    [
      'a date that does not exist',
      () => ({ sourceRoundId: roundId, title: 'T', dueOn: '2027-02-30' }),
    ],
    [
      'a date in another format',
      () => ({ sourceRoundId: roundId, title: 'T', dueOn: '31/12/2026' }),
    ],
    ['an item not in the round', () => ({ sourceRoundId: roundId, title: 'T', itemId: 'nope' })],
    [
      'a pole on a maturity item',
      () => ({ sourceRoundId: roundId, title: 'T', itemId: 'level', pole: 'left' }),
    ],
    ['a pole without an item', () => ({ sourceRoundId: roundId, title: 'T', pole: 'right' })],
    ['an unknown pole', () => ({ sourceRoundId: roundId, title: 'T', itemId: 'pace', pole: 'up' })],
    ['a round of another team', () => ({ sourceRoundId: 'another-teams-round', title: 'T' })],
    ['no round', () => ({ title: 'T' })],
    ['an unknown status', () => ({ sourceRoundId: roundId, title: 'T', status: 'finished' })],
    ['an unknown field', () => ({ sourceRoundId: roundId, title: 'T', teamId: 'elsewhere' })],
    ['an operator object', () => ({ sourceRoundId: { $ne: null }, title: 'T' })],
    ['a nested operator', () => ({ sourceRoundId: roundId, title: { $gt: '' } })],
  ];

  it.each(BAD_CREATES)('refuses %s with 400 and stores nothing', async (_what, body) => {
    const before = await actionCount();
    const res = await api.post(`/teams/${teamId}/actions`, body());

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/Mongo|E11000|\n\s+at /);
    expect(await actionCount()).toBe(before);
  });

  it('refuses a round that is still a draft', async () => {
    const draft = (
      await api.post('/rounds', {
        teamId,
        questionnaire: { slug: 'active-practice' },
        title: 'Draft',
      })
    ).body.id as string;
    const res = await api.post(`/teams/${teamId}/actions`, { sourceRoundId: draft, title: 'T' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'sourceRoundId' });
  });

  it.each([
    ['nothing to change', {}],
    ['an unknown status', { status: 'finished' }],
    ['a title of 201 characters', { title: 'x'.repeat(201) }],
    ['a date that does not exist', { dueOn: '2026-13-01' }],
    ['an unknown field', { itemId: 'level' }],
  ])('refuses a change with %s and keeps the action as it was', async (_what, body) => {
    const before = (await api.get(`/actions/${actionId}`)).body;
    const res = await api.patch(`/actions/${actionId}`, body);

    expect(res.status).toBe(400);
    expect((await api.get(`/actions/${actionId}`)).body).toEqual(before);
  });

  it('answers 404 to another workspace, for reading, changing and deleting', async () => {
    const other = apiFor(app, outsider.token);
    const before = await actionCount();

    for (const res of [
      await other.get(`/actions/${actionId}`),
      await other.patch(`/actions/${actionId}`, { status: 'dropped' }),
      await other.delete(`/actions/${actionId}`),
      await other.get(`/teams/${teamId}/actions`),
    ]) {
      expect(res.status).toBe(404);
    }
    expect(await actionCount()).toBe(before);
    expect((await api.get(`/actions/${actionId}`)).body.status).not.toBe('dropped');
  });

  it('no longer shows an action whose round is gone', async () => {
    const other = await aRound(await aQuestionnaire(), teamId, [[4, 4]]);
    const orphan = await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: other,
      title: 'Orphan',
    });
    await db.conn.collection('rounds').deleteOne({ _id: other as never });

    const listed = await api.get(`/teams/${teamId}/actions`);
    expect(listed.body.items.map((a: { id: string }) => a.id)).not.toContain(orphan.body.id);
    expect((await api.get(`/actions/${orphan.body.id}`)).status).toBe(404);
  });
});

describe('the action pages', () => {
  it('agree an action from a report’s item, edit it, and delete it, without JavaScript', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const roundId = await aRound(slug, teamId, LOW);
    const agent = await loggedInAgent(app, coach.email);
    const report = await agent.get(`/reports/rounds/${roundId}`);
    // Handlebars escapes "=" and "&" in attributes; a browser decodes them.
    const links = all(report.text, /href="[^"]*\/actions\/new[^"]*"/).map((attribute) =>
      attribute
        .slice(6, -1)
        .replace(/&#x3D;/g, '=')
        .replace(/&amp;/g, '&'),
    );
    const link = links.find((href) => href.endsWith('&item=pace'));
    expect(link).toBe(`/teams/${teamId}/actions/new?round=${roundId}&item=pace`);

    const form = await agent.get(link!);
    expect(form.status).toBe(200);
    expect(form.text).toContain('On item <strong>1.');
    expect(form.text).toMatch(/<option value="pace" selected>/);

    const payload = '<script>alert(1)</script>';
    const bad = await agent
      .post(`/teams/${teamId}/actions`)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        from: 'report',
        sourceRoundId: roundId,
        itemId: 'pace',
        pole: '',
        title: '',
        owner: payload,
        dueOn: '',
        notes: '',
      });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Say what the team will do');
    expect(bad.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(bad.text).not.toContain(payload);

    const saved = await agent
      .post(`/teams/${teamId}/actions`)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        from: 'report',
        sourceRoundId: roundId,
        itemId: 'pace',
        pole: 'right',
        title: payload,
        owner: 'Sam',
        dueOn: '2027-01-31',
        notes: '',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reports/rounds/${roundId}#item-pace`);
    const after = await agent.get(`/reports/rounds/${roundId}`);
    expect(after.text).toContain('Actions agreed from this round');
    expect(after.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(after.text).not.toContain(payload);

    const [action] = (await api.get(`/teams/${teamId}/actions`)).body.items;
    const team = await agent.get(`/teams/${teamId}`);
    expect(team.text).toContain(`href="/actions/${action.id}"`);
    const edit = await agent.get(`/actions/${action.id}`);
    const changed = await agent
      .post(`/actions/${action.id}`)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        status: 'done',
        title: 'Ship smaller',
        owner: '',
        dueOn: '',
        notes: 'Went well',
        pole: 'right',
      });
    expect(changed.status).toBe(303);
    expect((await api.get(`/actions/${action.id}`)).body).toMatchObject({
      status: 'done',
      title: 'Ship smaller',
      owner: null,
      dueOn: null,
      notes: 'Went well',
    });

    const refused = await agent
      .post(`/actions/${action.id}`)
      .type('form')
      .send({
        _csrf: csrfOf(edit.text),
        status: 'finished',
        title: 'Kept?',
        owner: '',
        dueOn: '2027-02-30',
        notes: '',
      });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('value="Kept?"');
    expect((await api.get(`/actions/${action.id}`)).body.title).toBe('Ship smaller');

    const deleted = await agent
      .post(`/actions/${action.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(edit.text) });
    expect(deleted.status).toBe(303);
    expect((await api.get(`/actions/${action.id}`)).status).toBe(404);
  });

  it('lists open actions on the dashboard, overdue ones marked', async () => {
    const slug = await aQuestionnaire();
    const teamId = await api.team();
    const roundId = await aRound(slug, teamId, [[2, 2]]);
    await api.post(`/teams/${teamId}/actions`, {
      sourceRoundId: roundId,
      title: 'Long overdue',
      dueOn: '2026-01-01',
    });
    const page = await (await loggedInAgent(app, coach.email)).get('/dashboard');
    expect(page.text).toContain('Long overdue');
    expect(page.text).toMatch(/overdue<\/span>/);
  });
});
