import Ajv2020 from 'ajv/dist/2020';
import type { Express } from 'express';
import request from 'supertest';
import {
  QuestionnaireListDto,
  QuestionnaireVersionDto,
} from '../../../src/features/questionnaires';
import { createQuestionnaireDraftRepository } from '../../../src/features/questionnaires/questionnaire-draft.repository';
import { ErrorBody } from '../../../src/shared/http/error-body';
import { bearer, csrfOf, loggedInAgent, signedInAgent, submitForm } from '../../support/auth';
import {
  apiFor,
  apiSignup,
  apiViewerToken,
  openCoachApp,
  type Account,
  type Api,
} from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { unescapeHtml } from '../../support/html';
import { aDefinition, aTensionItem } from '../../support/factories';

let db: TestDatabase;
let app: Express;
let coach: Account;
let api: Api;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
});
afterAll(() => db.drop());

const docs = () => db.conn.collection('questionnaires');
const ours = (slug: string, title = 'Ours') =>
  aDefinition({
    slug,
    version: undefined,
    title,
    sections: [{ id: 'main', title: 'Main', items: [aTensionItem({ id: 'pace' })] }],
  });
const slugsOf = (body: unknown) => QuestionnaireListDto.parse(body).items.map((i) => i.slug);
const codeOf = (res: { body: unknown }) => ErrorBody.parse(res.body).error.code;
/** Asks for a draft round of `slug` for a new team: the API's answer. */
const aDraftRound = async (slug: string) =>
  api.post('/rounds', {
    teamId: await api.team(),
    questionnaire: { slug },
    title: 'A draft',
    anonymity: 'named',
    minGroupSize: 1,
  });
const oneAnswer = { name: 'Ann', answers: [{ itemId: 'pace', value: 2 }] };

describe('downloading a questionnaire as its JSON file', () => {
  it('serves each version as <slug>-v<version>.json, valid against the published schema', async () => {
    const schema = (await request(app).get('/api/v1/questionnaires/schema.json')).body as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);

    for (const [slug, version] of [
      ['tensions-in-how-we-work', 2],
      ['drivers-constraints-floats', undefined],
      ['operating-maturity', undefined],
    ] as const) {
      const res = await request(app)
        .get(`/api/v1/questionnaires/${slug}/file${version ? `?version=${version}` : ''}`)
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => done(null, text));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const file = JSON.parse(res.body as string) as { version: number };
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename=${slug}-v${file.version}.json`,
      );
      if (version) expect(file.version).toBe(version);
      expect(validate(file)).toBe(true);
    }
  });

  it('round trip: a downloaded file uploaded as a new slug in another workspace stores the same definition', async () => {
    const lineageItems = [aTensionItem({ id: 'pace' })];
    await api.questionnaire({
      ...ours('shared-one', 'Shared one'),
      sections: [{ id: 'main', title: 'Main', items: lineageItems }],
    });
    const file = (await api.get('/questionnaires/shared-one/file')).body as Record<string, unknown>;
    const other = apiFor(app, (await apiSignup(app)).token);

    const stored = await other.post('/questionnaires', { ...file, slug: 'from-a-colleague' });

    expect(stored.status).toBe(201);
    const again = QuestionnaireVersionDto.parse(
      (await other.get('/questionnaires/from-a-colleague')).body,
    );
    expect(again.definition).toEqual({ ...file, slug: 'from-a-colleague' });
    // The importer's copy is its own: the sharer's workspace does not see it.
    expect((await api.get('/questionnaires/from-a-colleague')).status).toBe(404);
  });

  it('a later version imports as a new questionnaire once its version is left out', async () => {
    const file = (await request(app).get('/api/v1/questionnaires/tensions-in-how-we-work/file'))
      .body as Record<string, unknown>;
    expect(file.version).toBe(2);
    const { version: _version, ...rest } = file;

    const stored = await api.post('/questionnaires', { ...rest, slug: 'our-tensions' });

    expect(stored.status).toBe(201);
    const again = QuestionnaireVersionDto.parse(
      (await api.get('/questionnaires/our-tensions')).body,
    );
    expect(again.definition).toEqual({ ...file, slug: 'our-tensions', version: 1 });
  });

  it('answers 404 for another workspace’s questionnaire, whether by API or page', async () => {
    await api.questionnaire(ours('private-one'));
    const stranger = await apiSignup(app);

    const res = await request(app)
      .get('/api/v1/questionnaires/private-one/file')
      .set(bearer(stranger.token));

    expect(res.status).toBe(404);
    expect(codeOf(res)).toBe('QUESTIONNAIRE_NOT_FOUND');
    expect((await request(app).get('/questionnaires/private-one/file')).status).toBe(404);
  });

  it('is linked from a questionnaire’s page and from each version on its versions page', async () => {
    await api.questionnaire(ours('two-versions'));
    await api.openRound({ slug: 'two-versions' });
    await api.post('/questionnaires', { ...ours('two-versions'), summary: 'Second.' });
    const agent = await loggedInAgent(app, coach.email);

    const show = unescapeHtml((await agent.get('/questionnaires/two-versions')).text);
    expect(show).toContain(
      '<a href="/questionnaires/two-versions/file?version=2" download>Download as JSON</a>',
    );
    const versions = unescapeHtml((await agent.get('/questionnaires/two-versions/versions')).text);
    expect(versions).toContain('<a href="/questionnaires/two-versions/file?version=1" download>');
    expect(versions).toContain('<a href="/questionnaires/two-versions/file?version=2" download>');

    const file = await agent.get('/questionnaires/two-versions/file?version=1');
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename=two-versions-v1.json');
    expect(file.body).toMatchObject({ slug: 'two-versions', version: 1, summary: 'For tests.' });
  });
});

describe('an upload with errors', () => {
  it('lists each problem with its path on the page, nested ones included, and stores nothing', async () => {
    const { agent } = await signedInAgent(app);
    const pole = { label: 'Plan', good: 'Predictable.', risk: 'Ignores what we learn.' };
    const { risk: _risk, ...poleWithoutRisk } = pole;
    const { good: _good, ...poleWithoutGood } = pole;
    const broken = {
      ...aDefinition({ slug: 'broken-upload', title: '' }),
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [
            aTensionItem({ left: poleWithoutRisk as never }),
            aTensionItem({ id: 'second', right: poleWithoutGood as never }),
          ],
        },
      ],
    };
    const before = await docs().countDocuments();

    const res = await submitForm(agent, '/questionnaires/new', '/questionnaires/new', {
      definition: JSON.stringify(broken),
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('title: ');
    expect(res.text).toContain('sections.0.items.0.left.risk: ');
    expect(res.text).toContain('sections.0.items.1.right.good: ');
    expect(await docs().countDocuments()).toBe(before);
  });
});

describe('a version with answers', () => {
  it('is never edited in place: a changed definition becomes the next version', async () => {
    await api.questionnaire(ours('answered'));
    await api.answeredRound({ slug: 'answered', anonymity: 'named' }, [oneAnswer]);
    const changed = {
      ...ours('answered'),
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [aTensionItem({ id: 'pace', prompt: 'Other words?' })],
        },
      ],
      lineage: { pace: 'reworded' },
    };

    const inPlace = await api.post('/questionnaires', { ...changed, version: 1 });
    expect(inPlace.status).toBe(409);
    expect(codeOf(inPlace)).toBe('QUESTIONNAIRE_VERSION_CONFLICT');

    const saved = await api.post('/questionnaires', changed);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ outcome: 'created', versions: [1, 2] });
    const first = QuestionnaireVersionDto.parse(
      (await api.get('/questionnaires/answered?version=1')).body,
    );
    expect(first.locked).toBe(true);
    expect(first.definition.sections[0]!.items[0]).toMatchObject(aTensionItem({ id: 'pace' }));
  });
});

describe('archiving and deleting', () => {
  it('archive hides a questionnaire from the library and new rounds; its rounds and reports keep working; unarchive brings it back', async () => {
    await api.questionnaire(ours('to-archive', 'To archive'));
    const { roundId } = await api.answeredRound({ slug: 'to-archive', anonymity: 'named' }, [
      oneAnswer,
    ]);

    const archived = await api.post('/questionnaires/to-archive/archive');

    expect(archived.status).toBe(200);
    expect(QuestionnaireVersionDto.parse(archived.body).archived).toBe(true);
    expect(slugsOf((await api.get('/questionnaires')).body)).not.toContain('to-archive');
    const all = QuestionnaireListDto.parse((await api.get('/questionnaires?archived=true')).body);
    expect(all.items.find((i) => i.slug === 'to-archive')).toMatchObject({ archived: true });
    expect((await api.get('/questionnaires/to-archive')).status).toBe(200);
    // Rounds and reports keep working.
    expect((await api.get(`/rounds/${roundId}`)).status).toBe(200);
    expect((await api.get(`/rounds/${roundId}/report`)).status).toBe(200);
    // No new round: the form does not offer it and the API does not take it.
    const refused = await aDraftRound('to-archive');
    expect(refused.status).toBe(404);
    expect(codeOf(refused)).toBe('QUESTIONNAIRE_NOT_FOUND');
    const agent = await loggedInAgent(app, coach.email);
    const form = await agent.get('/rounds/new');
    expect(form.text).toContain('Tensions in how we work');
    expect(form.text).not.toContain('To archive');

    // A new version of an archived questionnaire stays archived.
    const next = await api.post('/questionnaires', {
      ...ours('to-archive', 'To archive'),
      summary: 'New words.',
    });
    expect(next.body).toMatchObject({ versions: [1, 2], archived: true });

    const restored = await api.post('/questionnaires/to-archive/unarchive');
    expect(restored.status).toBe(200);
    expect(QuestionnaireVersionDto.parse(restored.body).archived).toBe(false);
    expect(slugsOf((await api.get('/questionnaires')).body)).toContain('to-archive');
  });

  it('deletes an unused questionnaire with every version and its editor draft (204)', async () => {
    await api.questionnaire(ours('unused'));
    await api.post('/questionnaires', { ...ours('unused'), summary: 'Second.' });
    await createQuestionnaireDraftRepository(db.conn).save(
      coach.workspaceId,
      'unused',
      { title: 'Half-written' },
      new Date(),
    );

    const res = await api.delete('/questionnaires/unused');

    expect(res.status).toBe(204);
    expect(await docs().countDocuments({ slug: 'unused' })).toBe(0);
    expect(
      await db.conn.collection('questionnaire_drafts').countDocuments({ slug: 'unused' }),
    ).toBe(0);
    expect((await api.get('/questionnaires/unused')).status).toBe(404);
  });

  it('refuses to delete while any round uses a version, even a draft (409 QUESTIONNAIRE_IN_USE), deleting nothing', async () => {
    await api.questionnaire(ours('in-use'));
    const draft = await aDraftRound('in-use');
    expect(draft.status).toBe(201);
    // A later version no round uses does not make it deletable: version 1 has a round.
    await api.post('/questionnaires', { ...ours('in-use'), summary: 'Second.' });
    const before = await docs().countDocuments({ slug: 'in-use' });

    const res = await api.delete('/questionnaires/in-use');

    expect(res.status).toBe(409);
    expect(codeOf(res)).toBe('QUESTIONNAIRE_IN_USE');
    expect(await docs().countDocuments({ slug: 'in-use' })).toBe(before);
    // Once the draft is gone, nothing uses it any more.
    expect((await api.delete(`/rounds/${(draft.body as { id: string }).id}`)).status).toBe(204);
    expect((await api.delete('/questionnaires/in-use')).status).toBe(204);
  });

  it('refuses built-ins (409 QUESTIONNAIRE_BUILTIN) and hides another workspace’s (404)', async () => {
    await api.questionnaire(ours('not-yours'));
    const stranger = apiFor(app, (await apiSignup(app)).token);

    for (const path of ['archive', 'unarchive']) {
      const builtin = await api.post(`/questionnaires/tensions-in-how-we-work/${path}`);
      expect([builtin.status, codeOf(builtin)]).toEqual([409, 'QUESTIONNAIRE_BUILTIN']);
      const foreign = await stranger.post(`/questionnaires/not-yours/${path}`);
      expect([foreign.status, codeOf(foreign)]).toEqual([404, 'QUESTIONNAIRE_NOT_FOUND']);
    }
    const builtin = await api.delete('/questionnaires/tensions-in-how-we-work');
    expect([builtin.status, codeOf(builtin)]).toEqual([409, 'QUESTIONNAIRE_BUILTIN']);
    const foreign = await stranger.delete('/questionnaires/not-yours');
    expect([foreign.status, codeOf(foreign)]).toEqual([404, 'QUESTIONNAIRE_NOT_FOUND']);
    for (const path of ['', '/versions', '/file', '/diff?from=1&to=1']) {
      const res = await stranger.get(`/questionnaires/not-yours${path}`);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(await docs().countDocuments({ slug: 'not-yours', archivedAt: null })).toBe(1);
  });

  it('lets a viewer preview but not edit, archive or delete (403)', async () => {
    await api.questionnaire(ours('viewed'));
    const viewer = apiFor(app, await apiViewerToken(app, db.conn, coach));

    expect((await viewer.get('/questionnaires/viewed')).status).toBe(200);
    expect((await viewer.get('/questionnaires/viewed/file')).status).toBe(200);
    for (const res of [
      await viewer.post('/questionnaires', { ...ours('viewed'), summary: 'Viewer words.' }),
      await viewer.post('/questionnaires/viewed/archive'),
      await viewer.post('/questionnaires/viewed/fork', { slug: 'viewer-fork', title: 'Fork' }),
      await viewer.delete('/questionnaires/viewed'),
    ]) {
      expect([res.status, codeOf(res)]).toEqual([403, 'FORBIDDEN']);
    }
    expect(await docs().countDocuments({ slug: 'viewed' })).toBe(1);
  });
});

describe('the questionnaire page’s buttons', () => {
  it('archive, unarchive and delete a workspace questionnaire, each a form with a CSRF token', async () => {
    await api.questionnaire(ours('page-made', 'Page made'));
    const agent = await loggedInAgent(app, coach.email);
    const post = async (action: string) => {
      const page = await agent.get('/questionnaires/page-made');
      expect(page.text).toContain(`action="/questionnaires/page-made/${action}"`);
      return agent
        .post(`/questionnaires/page-made/${action}`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) });
    };

    const archived = await post('archive');
    expect([archived.status, archived.headers.location]).toEqual([
      303,
      '/questionnaires/page-made',
    ]);
    const page = await agent.get('/questionnaires/page-made');
    expect(page.text).toContain('Archived');
    expect(page.text).toContain('>Unarchive</button>');
    expect((await agent.get('/questionnaires')).text).not.toContain('Page made');
    const withArchived = await agent.get('/questionnaires?archived=true');
    expect(withArchived.text).toContain('Page made');
    expect((await agent.get('/questionnaires')).text).toContain(
      '<a href="/questionnaires?archived=true">Show archived questionnaires</a>',
    );

    expect((await post('unarchive')).status).toBe(303);
    expect((await agent.get('/questionnaires')).text).toContain('Page made');

    const deleted = await post('delete');
    expect([deleted.status, deleted.headers.location]).toEqual([303, '/questionnaires']);
    expect(await docs().countDocuments({ slug: 'page-made' })).toBe(0);
  });

  it('refuses a form without the CSRF token, changing nothing', async () => {
    await api.questionnaire(ours('csrf-guarded'));
    const agent = await loggedInAgent(app, coach.email);

    const res = await agent.post('/questionnaires/csrf-guarded/delete').type('form').send({});

    expect(res.status).toBe(403);
    expect(await docs().countDocuments({ slug: 'csrf-guarded' })).toBe(1);
  });

  it('offers Delete only while no round uses the questionnaire, and no buttons on a built-in or to a viewer', async () => {
    await api.questionnaire(ours('page-used'));
    await api.openRound({ slug: 'page-used' });
    const agent = await loggedInAgent(app, coach.email);

    const used = await agent.get('/questionnaires/page-used');
    expect(used.text).toContain('action="/questionnaires/page-used/archive"');
    expect(used.text).not.toContain('action="/questionnaires/page-used/delete"');
    expect(used.text).toContain('so it cannot be deleted');
    const builtin = await agent.get('/questionnaires/tensions-in-how-we-work');
    expect(builtin.text).not.toContain('/archive"');

    const invite = await submitForm(agent, '/workspace', '/workspace/invitations', {
      role: 'viewer',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    const viewer = (await signedInAgent(app, { name: 'Vera Viewer' })).agent;
    await submitForm(viewer, `/invitations/${link}`, `/invitations/${link}`, {});
    const preview = await viewer.get('/questionnaires/page-used');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Download as JSON');
    expect(preview.text).not.toContain('/archive"');
    const refused = await viewer
      .post('/questionnaires/page-used/archive')
      .type('form')
      .send({ _csrf: csrfOf(preview.text) });
    expect(refused.status).toBe(403);
    expect(await docs().countDocuments({ slug: 'page-used', archivedAt: null })).toBe(1);
  });
});
