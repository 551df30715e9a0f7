import {
  QuestionnaireDiffDto,
  QuestionnaireVersionDto,
  QuestionnaireVersionListDto,
} from '../../../src/features/questionnaires/questionnaire.schemas';
import { createQuestionnaireRepository } from '../../../src/features/questionnaires/questionnaire.repository';
import { createQuestionnaireService } from '../../../src/features/questionnaires/questionnaire.service';
import { createLogger } from '../../../src/shared/logging';
import {
  apiFor,
  apiSignup,
  apiViewerToken,
  openCoachApp,
  type Api,
} from '../../support/api-client';
import { FIXED_NOW } from '../../support/app';
import type { TestDatabase } from '../../support/db';
import { aDefinition, aMaturityItem, aPracticeItem, aTensionItem } from '../../support/factories';

/**
 * Forks, versions and lineage through the API on the real database: a version says what each
 * edit means, removed ids stay retired, and the diff and comparability follow the chain.
 */
let db: TestDatabase;
let app: Awaited<ReturnType<typeof openCoachApp>>['app'];
let coach: Awaited<ReturnType<typeof openCoachApp>>['coach'];
let api: Api;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
});
afterAll(() => db.drop());

const docs = () => db.conn.collection('questionnaires');
/** The service the app uses, on the same database: for what only other features call. */
const lineageService = () =>
  createQuestionnaireService({
    repository: createQuestionnaireRepository(db.conn),
    builtins: [],
    clock: () => FIXED_NOW,
    logger: createLogger({ level: 'silent' }),
  });
const withItems = (slug: string, ...items: object[]) =>
  aDefinition({
    slug,
    version: undefined,
    sections: [{ id: 'main', title: 'Main', items: items as never }],
  });
const reworded = aTensionItem({ prompt: 'Do we keep to the plan or change it?' });
const changedMaturity = aMaturityItem({ statement: 'Work is finished.' });

/** Version 1 of `slug`, taken into use by a round so that the next save makes version 2. */
async function lockedFirstVersion(slug: string) {
  await api.questionnaire(withItems(slug, aTensionItem(), aMaturityItem(), aPracticeItem()));
  await api.openRound({ slug });
}

describe('POST /api/v1/questionnaires with lineage', () => {
  it('refuses an edited item without lineage, at lineage.<id>, storing nothing', async () => {
    await lockedFirstVersion('needs-lineage');
    const before = await docs().countDocuments();

    const res = await api.post(
      '/questionnaires',
      withItems('needs-lineage', reworded, changedMaturity, aPracticeItem()),
    );

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    // The wording is the unit test's; here: one detail per edited item, in words.
    expect(res.body.error.details).toEqual([
      {
        path: 'lineage.plan-or-adapt',
        message: expect.stringContaining('"plan-or-adapt" changed'),
      },
      { path: 'lineage.visible-work', message: expect.stringContaining('"visible-work" changed') },
    ]);
    expect(await docs().countDocuments()).toBe(before);
  });

  it('refuses lineage for an unedited or unknown item and a value other than the two', async () => {
    await lockedFirstVersion('wrong-lineage');
    const before = await docs().countDocuments();

    const misplaced = await api.post('/questionnaires', {
      ...withItems('wrong-lineage', reworded, aMaturityItem(), aPracticeItem()),
      lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed', ghost: 'changed' },
    });
    const badValue = await api.post('/questionnaires', {
      ...withItems('wrong-lineage', reworded, aMaturityItem(), aPracticeItem()),
      lineage: { 'plan-or-adapt': 'tweaked' },
    });

    expect(misplaced.status).toBe(400);
    expect(misplaced.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'lineage.visible-work',
      'lineage.ghost',
    ]);
    expect(badValue.status).toBe(400);
    expect(badValue.body.error.details[0].path).toBe('lineage.plan-or-adapt');
    expect(await docs().countDocuments()).toBe(before);
  });

  it('stores the lineage, lists it among the versions and diffs the versions', async () => {
    await lockedFirstVersion('evolving');

    const saved = await api.post('/questionnaires', {
      ...withItems('evolving', reworded, changedMaturity, aPracticeItem({ id: 'brand-new' })),
      lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed' },
    });
    const versions = await api.get('/questionnaires/evolving/versions');
    const diff = await api.get('/questionnaires/evolving/diff?from=1&to=2');

    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({
      versions: [1, 2],
      derivedFrom: null,
      lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed' },
    });
    expect(versions.status).toBe(200);
    expect(QuestionnaireVersionListDto.parse(versions.body).versions).toEqual([
      expect.objectContaining({ version: 1, derivedFrom: null, lineage: {}, locked: true }),
      expect.objectContaining({
        version: 2,
        lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed' },
        locked: false,
      }),
    ]);
    expect(diff.status).toBe(200);
    const items = QuestionnaireDiffDto.parse(diff.body).items;
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['plan-or-adapt', 'reworded'],
      ['visible-work', 'changed'],
      ['brand-new', 'added'],
      ['dashboard-decision', 'removed'],
    ]);
    expect(items[0]).toMatchObject({
      from: { prompt: 'Do we follow the plan or adapt it?' },
      to: { prompt: 'Do we keep to the plan or change it?' },
    });
    expect(items[2]?.from).toBeNull();
    expect(items[3]?.to).toBeNull();
  });

  it('never lets the id of a removed item come back', async () => {
    await lockedFirstVersion('retiring');
    expect(
      (await api.post('/questionnaires', withItems('retiring', aTensionItem(), aMaturityItem())))
        .status,
    ).toBe(201);
    await api.openRound({ slug: 'retiring', teamName: 'Retiring team' });
    const before = await docs().countDocuments();

    const res = await api.post(
      '/questionnaires',
      withItems('retiring', aTensionItem(), aMaturityItem(), aPracticeItem()),
    );

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      {
        path: 'sections.0.items.2.id',
        message:
          'Item id "dashboard-decision" was removed in an earlier version, and ids of removed items cannot come back: give this item a new id.',
      },
    ]);
    expect(await docs().countDocuments()).toBe(before);
  });

  it('keeps reading questionnaires stored before lineage existed', async () => {
    await api.questionnaire(withItems('old-one', aTensionItem()));
    await docs().updateOne({ slug: 'old-one' }, { $unset: { lineage: '', derivedFrom: '' } });

    const res = await api.get('/questionnaires/old-one');
    const versions = await api.get('/questionnaires/old-one/versions');

    expect(res.body).toMatchObject({ derivedFrom: null, lineage: {} });
    expect(versions.body.versions[0]).toMatchObject({ derivedFrom: null, lineage: {} });
  });
});

describe('POST /api/v1/questionnaires/{slug}/fork', () => {
  it('copies a built-in as version 1 of a workspace questionnaire that remembers its origin', async () => {
    const res = await api.post('/questionnaires/tensions-in-how-we-work/fork', {
      slug: 'our-tensions',
      title: 'Our tensions',
    });
    const origin = await api.get('/questionnaires/tensions-in-how-we-work');

    expect(res.status).toBe(201);
    const fork = QuestionnaireVersionDto.parse(res.body);
    expect(fork).toMatchObject({
      builtin: false,
      versions: [1],
      derivedFrom: { slug: 'tensions-in-how-we-work', version: origin.body.definition.version },
      lineage: {},
      definition: { slug: 'our-tensions', title: 'Our tensions', version: 1 },
    });
    expect(fork.definition.sections).toEqual(origin.body.definition.sections);
    expect(
      (await apiFor(app).get('/questionnaires')).body.items.map((i: { slug: string }) => i.slug),
    ).not.toContain('our-tensions');
  });

  it('measures the fork’s first edit against its origin, and compares across the fork', async () => {
    await api.questionnaire(withItems('original', aTensionItem(), aMaturityItem()));
    await api.post('/questionnaires/original/fork', { slug: 'derived', title: 'Derived' });

    // Version 1 of the fork is unused: the edit replaces it, lineage relative to the origin.
    const unexplained = await api.post(
      '/questionnaires',
      withItems('derived', reworded, aMaturityItem()),
    );
    const explained = await api.post('/questionnaires', {
      ...withItems('derived', reworded, changedMaturity),
      lineage: { 'plan-or-adapt': 'reworded', 'visible-work': 'changed' },
    });

    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'lineage.plan-or-adapt',
    ]);
    expect(explained.status).toBe(200);
    expect(explained.body).toMatchObject({
      outcome: 'updated',
      derivedFrom: { slug: 'original', version: 1 },
    });

    // What the report side will ask: comparable across the fork where only words changed.
    expect(
      await lineageService().comparabilityBetween(
        coach.workspaceId,
        { slug: 'original', version: 1 },
        { slug: 'derived', version: 1 },
      ),
    ).toEqual({
      'plan-or-adapt': { change: 'reworded', comparable: true },
      'visible-work': { change: 'changed', comparable: false },
    });
    await expect(
      lineageService().comparabilityBetween(
        (await apiSignup(app)).workspaceId,
        { slug: 'original', version: 1 },
        { slug: 'derived', version: 1 },
      ),
    ).rejects.toMatchObject({ status: 404, code: 'QUESTIONNAIRE_NOT_FOUND' });
  });

  it('answers 409 for a taken or built-in slug, 404 for an unknown or another workspace’s origin', async () => {
    await api.questionnaire(withItems('mine-only', aTensionItem()));
    const outsider = apiFor(app, (await apiSignup(app)).token);
    const before = await docs().countDocuments();

    const fork = (client: Api, origin: string, slug: string) =>
      client.post(`/questionnaires/${origin}/fork`, { slug, title: `Fork as ${slug}` });

    const taken = await fork(api, 'active-practice', 'mine-only');
    const reserved = await fork(api, 'active-practice', 'tensions-in-how-we-work');
    const unknown = await fork(api, 'no-such-thing', 'copy');
    const foreign = await fork(outsider, 'mine-only', 'stolen');
    const badBody = await api.post('/questionnaires/active-practice/fork', { slug: 'Bad Slug' });

    expect([taken.status, taken.body.error.code]).toEqual([409, 'QUESTIONNAIRE_SLUG_TAKEN']);
    expect([reserved.status, reserved.body.error.code]).toEqual([
      409,
      'QUESTIONNAIRE_SLUG_RESERVED',
    ]);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'QUESTIONNAIRE_NOT_FOUND']);
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'QUESTIONNAIRE_NOT_FOUND']);
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'slug',
      'title',
    ]);
    expect(await docs().countDocuments()).toBe(before);
  });

  it('is refused to a viewer, who may still read versions and diffs', async () => {
    const viewer = apiFor(app, await apiViewerToken(app, db.conn, coach));
    await api.questionnaire(withItems('viewed', aTensionItem()));
    const before = await docs().countDocuments();

    const fork = await viewer.post('/questionnaires/viewed/fork', { slug: 'nope', title: 'Nope' });
    const publish = await viewer.post('/questionnaires', withItems('viewed', reworded));

    expect([fork.status, fork.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect([publish.status, publish.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await docs().countDocuments()).toBe(before);
    expect((await viewer.get('/questionnaires/viewed/versions')).status).toBe(200);
    expect((await viewer.get('/questionnaires/viewed/diff?from=1&to=1')).status).toBe(200);
  });
});

describe('GET /api/v1/questionnaires/{slug}/versions and /diff', () => {
  it('answers 404 for another workspace’s questionnaire and a missing version, 400 for a bad query', async () => {
    await api.questionnaire(withItems('private-one', aTensionItem()));
    const outsider = apiFor(app, (await apiSignup(app)).token);

    expect((await outsider.get('/questionnaires/private-one/versions')).status).toBe(404);
    expect((await outsider.get('/questionnaires/private-one/diff?from=1&to=1')).status).toBe(404);
    const missing = await api.get('/questionnaires/private-one/diff?from=1&to=3');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'QUESTIONNAIRE_NOT_FOUND']);
    const bad = await api.get('/questionnaires/private-one/diff?from=one');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'from',
      'to',
    ]);
  });

  it('diffs versions of a built-in for anyone', async () => {
    const res = await apiFor(app).get(
      '/questionnaires/drivers-constraints-floats/diff?from=1&to=1',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.every((i: { status: string }) => i.status === 'same')).toBe(true);
  });
});
