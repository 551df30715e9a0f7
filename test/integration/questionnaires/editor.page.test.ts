import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import { signedInAgent, submitForm, type Agent } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { all, elementById, unescapeHtml } from '../../support/html';
import { apiFor, apiSignup } from '../../support/api-client';
import { aDefinition, aTensionItem } from '../../support/factories';

/**
 * The questionnaire editor through its pages, as a browser without JavaScript uses it: every
 * button is a submit of the one form, and the page comes back with the change and the values.
 */
let db: TestDatabase;
let app: Express;
let coach: Agent;

const ORIGIN = 'tensions-in-how-we-work';

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  coach = (await signedInAgent(app)).agent;
});
afterAll(() => db.drop());

/** Every value the editor's form would send, by field name (checked checkboxes only). */
function formValues(html: string): Record<string, string> {
  const values: Record<string, string> = {};
  const attr = (tag: string, name: string) =>
    unescapeHtml(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
  for (const tag of all(html, /<input\b[^>]*>/)) {
    const type = attr(tag, 'type');
    if (type === 'checkbox' && !/\schecked\b/.test(tag)) continue;
    if (attr(tag, 'name') && type !== 'radio') values[attr(tag, 'name')] = attr(tag, 'value');
  }
  for (const m of html.matchAll(/<textarea\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    values[m[1]!] = unescapeHtml(m[2]!);
  for (const m of html.matchAll(/<select\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    values[m[1]!] = unescapeHtml(/<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? '');
  delete values._csrf;
  return values;
}

/** Presses a button of the editor at `slug` with the form's values changed by `change`. */
async function press(
  agent: Agent,
  slug: string,
  op: string,
  change: Record<string, string> = {},
  page?: string,
) {
  const url = `/questionnaires/${slug}/edit`;
  const html = page ?? (await agent.get(url)).text;
  return submitForm(agent, url, url, { ...formValues(html), ...change, op });
}

/** The ids of the questions of part 1 of the editor's form, in order. */
const itemIds = (html: string) =>
  all(html, /name="sections\.0\.items\.\d+\.id" value="[^"]+"/).map(
    (m) => /value="([^"]+)"/.exec(m)![1],
  );

async function fork(slug: string, title = 'Our tensions') {
  return submitForm(coach, `/questionnaires/${ORIGIN}/fork`, `/questionnaires/${ORIGIN}/fork`, {
    slug,
    title,
  });
}

describe('Make it ours', () => {
  it('is offered on a questionnaire’s page, forks it and opens the editor on the fork', async () => {
    const page = await coach.get(`/questionnaires/${ORIGIN}`);
    expect(page.text).toContain(`href="/questionnaires/${ORIGIN}/fork"`);

    const res = await fork('our-tensions');

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/questionnaires/our-tensions/edit');
    const editor = await coach.get('/questionnaires/our-tensions/edit');
    expect(editor.status).toBe(200);
    expect(itemIds(editor.text)[0]).toBe('procedural-vs-outcome');
    expect(formValues(editor.text).title).toBe('Our tensions');
  });

  it('refuses a taken slug at the slug field, keeping the title', async () => {
    await fork('taken-once');
    const res = await fork('taken-once', 'Kept title');
    expect(res.status).toBe(409);
    expect(elementById(res.text, 'field-slug-error')).toContain('taken-once');
    expect(res.text).toContain('value="Kept title"');
  });
});

describe('the editor’s buttons', () => {
  it('add, move and remove questions, keeping what was typed', async () => {
    await fork('buttons');
    const added = await press(coach, 'buttons', 'add-maturity:sections.0', {
      title: 'Typed, not saved',
      'sections.0.items.0.left.label': 'Recipes',
    });
    expect(added.status).toBe(200);
    const ids = itemIds(added.text);
    const last = ids.length - 1;
    expect(ids.length).toBe(
      itemIds((await coach.get('/questionnaires/buttons/edit')).text).length + 1,
    );
    expect(ids[last]).toMatch(/^matu-[0-9a-f]{8}$/);
    expect(formValues(added.text)).toMatchObject({
      title: 'Typed, not saved',
      'sections.0.items.0.left.label': 'Recipes',
    });
    expect(formValues(added.text)[`sections.0.items.${last}.levels.2.label`]).toBe('');

    const moved = await press(coach, 'buttons', 'move-down:sections.0.items.0', {}, added.text);
    expect(itemIds(moved.text).slice(0, 2)).toEqual([
      'cascade-vs-local-sense',
      'procedural-vs-outcome',
    ]);
    expect(formValues(moved.text)['sections.0.items.1.left.label']).toBe('Recipes');
    // Without JavaScript the page starts at the top: a link leads back to the moved question.
    expect(moved.text).toContain(
      '<a href="#field-sections-0-items-1">Go to what you just changed</a>',
    );
    expect(moved.text).toContain('id="field-sections-0-items-1"');

    const removed = await press(coach, 'buttons', 'remove:sections.0.items.0', {}, moved.text);
    expect(itemIds(removed.text)).not.toContain('cascade-vs-local-sense');
    expect(formValues(removed.text).title).toBe('Typed, not saved');

    // Nothing of this was stored: the editor opens on the fork as it was.
    expect(formValues((await coach.get('/questionnaires/buttons/edit')).text).title).toBe(
      'Our tensions',
    );
  });

  it('keeps a saved draft across visits, and a preview shows it as a respondent sees it', async () => {
    await fork('drafted');
    const saved = await press(coach, 'drafted', 'save', { title: 'Drafted title' });
    expect(saved.status).toBe(303);
    const again = await coach.get('/questionnaires/drafted/edit');
    expect(formValues(again.text).title).toBe('Drafted title');
    expect(again.text).toContain('Draft saved');

    const preview = await press(coach, 'drafted', 'preview', {
      'sections.0.items.0.prompt': 'A previewed prompt?',
    });
    expect(preview.headers.location).toBe('/questionnaires/drafted/edit/preview');
    const shown = await coach.get(preview.headers.location as string);
    expect(shown.text).toContain('A previewed prompt?');
    expect(shown.text).toContain('name="procedural-vs-outcome.value"');
    // And the draft prints as a blank copy for a workshop, before it is published.
    const printed = await coach.get('/questionnaires/drafted/edit/print');
    expect(printed.status).toBe(200);
    expect(printed.text).toContain('A previewed prompt?');
    expect(printed.text).toContain('Draft · Team:');
  });
});

describe('a tension pole without a risk', () => {
  it('is refused at the field, in words, with everything typed kept', async () => {
    const start = await submitForm(coach, '/questionnaires/start', '/questionnaires/start', {
      slug: 'blank-one',
      title: 'Blank one',
    });
    expect(start.headers.location).toBe('/questionnaires/blank-one/edit');
    const filled = {
      summary: 'Two ways we work',
      'dimensions.0.description': 'How the team works',
      'sections.0.title': 'Main',
      'sections.0.items.0.prompt': 'Plan or adapt?',
      'sections.0.items.0.left.label': 'Plan',
      'sections.0.items.0.left.good': 'Predictable',
      'sections.0.items.0.left.risk': 'Rigid',
      'sections.0.items.0.right.label': 'Adapt',
      'sections.0.items.0.right.good': 'Responsive',
      'sections.0.items.0.right.risk': '',
    };

    const res = await press(coach, 'blank-one', 'publish', filled);

    expect(res.status).toBe(400);
    const error = elementById(res.text, 'field-sections-0-items-0-right-risk-error');
    expect(error).toContain('Must not be empty');
    expect(res.text).toContain('href="#field-sections-0-items-0-right-risk"');
    expect(res.text).toContain('all six fields');
    const { 'sections.0.items.0.right.risk': _empty, ...kept } = filled;
    expect(formValues(res.text)).toMatchObject(kept);

    const fixed = await press(coach, 'blank-one', 'publish', {
      ...filled,
      'sections.0.items.0.right.risk': 'Drifting',
    });
    expect(fixed.status).toBe(303);
    expect(fixed.headers.location).toBe('/questionnaires/blank-one/versions');
  });
  it('is refused by the API too, at the same path, storing nothing', async () => {
    const api = apiFor(app, (await apiSignup(app)).token);
    const definition = aDefinition({
      slug: 'api-without-risk',
      sections: [
        {
          id: 'main',
          title: 'Main',
          items: [aTensionItem({ right: { label: 'Adapt', good: 'Responsive' } as never })],
        },
      ],
    });

    const res = await api.post('/questionnaires', definition);

    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'sections.0.items.0.right.risk', message: expect.stringMatching(/\w/) },
    ]);
    expect((await api.get('/questionnaires/api-without-risk')).status).toBe(404);
  });
});

describe('publishing edited questions', () => {
  it('asks for each whether its meaning or only its words changed, and records the answers', async () => {
    await fork('lineage-ours');
    const ask = await press(coach, 'lineage-ours', 'publish', {
      'sections.0.items.0.left.label': 'Recipes to follow',
      'sections.0.items.1.prompt': 'Do goals come to us, or do we set them?',
    });
    expect(ask.status).toBe(303);
    expect(ask.headers.location).toBe('/questionnaires/lineage-ours/publish');
    const step = await coach.get('/questionnaires/lineage-ours/publish');
    expect(all(step.text, /<fieldset[^>]*id="lineage-[^"]+"/)).toHaveLength(2);
    expect(step.text).toContain('Steps to follow');
    expect(step.text).toContain('Recipes to follow');

    const unanswered = await submitForm(
      coach,
      ask.headers.location as string,
      ask.headers.location as string,
      {
        'lineage.procedural-vs-outcome': 'reworded',
      },
    );
    expect(unanswered.status).toBe(400);
    expect(elementById(unanswered.text, 'lineage-cascade-vs-local-sense-error')).toContain(
      'changed',
    );
    expect(unanswered.text).toMatch(/id="lineage-procedural-vs-outcome-reworded"[^>]*checked/);

    const published = await submitForm(
      coach,
      ask.headers.location as string,
      ask.headers.location as string,
      {
        'lineage.procedural-vs-outcome': 'reworded',
        'lineage.cascade-vs-local-sense': 'changed',
      },
    );
    expect(published.status).toBe(303);
    const versions = await coach.get('/questionnaires/lineage-ours/versions');
    const v1 = elementById(versions.text, 'version-1');
    expect(v1).toMatch(/procedural-vs-outcome<\/code>: <span[^>]*>reworded/);
    expect(v1).toMatch(/cascade-vs-local-sense<\/code>: <span[^>]*>changed/);
    const diffUrl = unescapeHtml(/href="([^"]*\/diff\?[^"]+)"/.exec(v1)![1]!);
    const diff = await coach.get(diffUrl);
    expect(diff.status).toBe(200);
    expect(elementById(diff.text, 'diff-procedural-vs-outcome')).toContain('Reworded');
    expect(elementById(diff.text, 'diff-cascade-vs-local-sense')).toContain('Changed');
    expect(elementById(diff.text, 'diff-busy-vs-flow')).toContain('Unchanged');
  });
});

describe('who may edit', () => {
  it('a viewer previews, and is offered and allowed no editing', async () => {
    await fork('viewed-ours');
    const invite = await submitForm(coach, '/workspace', '/workspace/invitations', {
      role: 'viewer',
    });
    const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)?.[1] ?? '';
    const viewer = (await signedInAgent(app, { name: 'Vera Viewer' })).agent;
    await submitForm(viewer, `/invitations/${link}`, `/invitations/${link}`, {});

    const page = await viewer.get('/questionnaires/viewed-ours');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('/edit"');
    expect(page.text).not.toContain('/fork"');
    expect((await viewer.get('/questionnaires')).text).not.toContain('/questionnaires/start');
    expect((await viewer.get('/questionnaires/viewed-ours/edit')).status).toBe(403);
    expect((await viewer.get(`/questionnaires/${ORIGIN}/fork`)).status).toBe(403);
  });

  it('another workspace’s questionnaire and a built-in one are not found for editing', async () => {
    await fork('private-ours');
    const outsider = (await signedInAgent(app)).agent;
    expect((await outsider.get('/questionnaires/private-ours/edit')).status).toBe(404);
    expect((await outsider.get('/questionnaires/private-ours/fork')).status).toBe(404);
    expect((await coach.get(`/questionnaires/${ORIGIN}/edit`)).status).toBe(404);
  });
});
