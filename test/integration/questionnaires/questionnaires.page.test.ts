import request from 'supertest';
import type { Express } from 'express';
import { QuestionnaireDefinition } from '../../../src/features/questionnaires';
import { toPreviewView } from '../../../src/features/questionnaires/questionnaire.view-model';
import { buildTestApp } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import {
  aDcfItem,
  aDefinition,
  aMaturityItem,
  aPracticeItem,
  aTensionItem,
} from '../../support/factories';
import { all, elementById } from '../../support/html';

let db: TestDatabase;
let app: Express;

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
});
afterAll(() => db.drop());

describe('GET /questionnaires', () => {
  it('shows every built-in questionnaire with its counts, dimensions and links', async () => {
    const res = await request(app).get('/questionnaires');

    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Questionnaire library</h1>');
    for (const title of [
      'Tensions in how we work',
      'Active Practice',
      'Operating maturity',
      'Drivers, constraints and floats',
    ]) {
      expect(res.text).toContain(title);
    }
    expect(res.text).toContain('14 tensions');
    expect(res.text).toContain('18 maturity items');
    expect(res.text).toContain('Flow of work');
    expect(res.text).toContain('href="/questionnaires/operating-maturity/print?version&#x3D;1"');
  });
});

describe('GET /questionnaires/:slug', () => {
  it('renders a tension as a read-only 7-point scale between its poles, with good and risk', async () => {
    const res = await request(app).get('/questionnaires/tensions-in-how-we-work');

    expect(res.status).toBe(200);
    const item = elementById(res.text, 'item-busy-vs-flow');
    expect(item).toContain('<legend><span class="item-number">7.</span>');
    expect(all(item, /type="radio" id="q-busy-vs-flow-value-\d"/)).toHaveLength(7);
    expect(all(item, /name="busy-vs-flow.desired"/)).toHaveLength(7);
    // 14 radios, "can't say" for today, and the "why?" field: a preview takes no answer.
    expect(all(item, / disabled>/)).toHaveLength(16);
    expect(item).toContain('value="cant-say" required disabled>');
    expect(item).toMatch(
      /<textarea id="q-busy-vs-flow-comment" name="busy-vs-flow.comment"[^>]* disabled>/,
    );
    expect(item).toContain('<span class="visually-hidden">Fully Everyone busy</span>');
    expect(item).toContain('<span class="visually-hidden">Balanced</span>');
    expect(item).toMatch(/<strong>Risk:<\/strong> Work piles up between people/);
    expect(item).toMatch(/<details class="pole-help" id="q-busy-vs-flow-help">/);
  });

  it('renders a maturity item as a radio group with each level described', async () => {
    const res = await request(app).get('/questionnaires/operating-maturity');

    const item = elementById(res.text, 'item-visible-work');
    // Five levels, and "can't say".
    expect(all(item, /type="radio"/)).toHaveLength(6);
    expect(item).toContain('Can’t say: I don’t know enough to choose a level.');
    expect(item).toContain('<strong>1 · Not yet</strong> Work lives in people');
    expect(item).toContain('<strong>5 · Shaping</strong>');
  });

  it('renders a practice prompt as a labelled text area with its limit and optional rating', async () => {
    const res = await request(app).get('/questionnaires/active-practice');

    const item = elementById(res.text, 'item-view-and-decision');
    expect(item).toContain('<label class="item-label" for="q-view-and-decision-text">');
    expect(item).toMatch(
      /<textarea id="q-view-and-decision-text"[^>]*maxlength="1000"[^>]*disabled>/,
    );
    expect(item).toContain('How well does it support that decision today?');
    expect(all(item, /type="radio"/)).toHaveLength(5);
    expect(elementById(res.text, 'item-least-missed-meeting')).not.toContain('type="radio"');
  });

  it('renders a dcf check as driver/constraint/float per aspect, with the rule explained', async () => {
    const res = await request(app).get('/questionnaires/drivers-constraints-floats');

    const item = elementById(res.text, 'item-effort-aspects');
    expect(item).toContain(
      'more than two drivers, more than two constraints or fewer than two floats',
    );
    expect(all(item, /<fieldset class="dcf-aspect">/)).toHaveLength(8);
    expect(all(item, /type="radio"/)).toHaveLength(24);
    expect(item).toMatch(/name="effort-aspects.scope" value="driver"/);
  });

  it('answers an unknown questionnaire with the 404 page', async () => {
    const res = await request(app).get('/questionnaires/no-such-thing');

    expect(res.status).toBe(404);
    expect(res.text).toContain('There is no questionnaire &quot;no-such-thing&quot;.');
  });

  it('answers a bad version with a 400 page', async () => {
    const res = await request(app).get('/questionnaires/active-practice?version=x');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('GET /questionnaires/:slug/print', () => {
  it('renders a blank copy in the print layout: no navigation, help printed open', async () => {
    const res = await request(app).get('/questionnaires/tensions-in-how-we-work/print?version=2');

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<!doctype html>\n<html lang="en" class="print-layout">/);
    expect(res.text).not.toContain('<nav aria-label="Main">');
    expect(res.text).toMatch(
      /<link rel="stylesheet" href="\/css\/print\.css\?v&#x3D;[0-9a-f]+"\s*\/?>/,
    );
    expect(all(res.text, /<details class="pole-help" id="[^"]+" open>/)).toHaveLength(14);
    expect(res.text).not.toMatch(/ disabled>/);
    // Words for the screen only: on paper there is nothing to open.
    expect(res.text).not.toMatch(/Open &quot;What each side/);
  });
});

describe('user text in a questionnaire', () => {
  it('is escaped everywhere it appears on the preview page', async () => {
    const evil = '<script>alert(1)</script>';
    const definition = QuestionnaireDefinition.parse(
      aDefinition({
        title: evil,
        summary: evil,
        dimensions: [{ key: 'ways', label: evil, description: evil }],
        sections: [
          {
            id: 'main',
            title: evil,
            intro: evil,
            items: [
              aTensionItem({ prompt: evil, left: { label: evil, good: evil, risk: evil } }),
              aMaturityItem({
                statement: evil,
                levels: [
                  { label: evil, description: evil },
                  { label: 'b', description: 'b' },
                ],
              }),
              aPracticeItem({
                prompt: evil,
                hint: evil,
                rating: { question: evil, lowLabel: evil, highLabel: evil },
              }),
              aDcfItem({
                prompt: evil,
                guidance: evil,
                aspects: [
                  { key: 'a', label: evil, description: evil },
                  { key: 'b', label: 'B' },
                  { key: 'c', label: 'C' },
                ],
              }),
            ],
          },
        ],
      }),
    );
    const view = toPreviewView(
      {
        definition,
        builtin: false,
        archived: false,
        locked: false,
        versions: [1],
        latestVersion: 1,
        derivedFrom: null,
        lineage: {},
      },
      'preview',
    );

    const html = await new Promise<string>((resolve, reject) =>
      app.render('questionnaires/show', view, (err, out) => (err ? reject(err) : resolve(out))),
    );

    expect(html).not.toContain('<script>');
    expect(all(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/).length).toBeGreaterThanOrEqual(20);
  });
});
