import request from 'supertest';
import type { Express } from 'express';
import { type Account, anOpenRound, openCoachApp } from '../../support/api-client';
import type { TestDatabase } from '../../support/db';
import { all, elementById } from '../../support/html';
import { dcfForm, keyOf } from '../../support/respondent-form';

/**
 * What the respondent's pages promise about names and times, for every built-in questionnaire
 * (so every item kind: tension with its "why?", maturity, practice, dcf) in a named and in an
 * anonymous round: each promise matches the round, none contradicts it. And what they say
 * about required questions matches what the server refuses.
 */
let db: TestDatabase, app: Express, coach: Account;

beforeAll(async () => {
  ({ db, app, coach } = await openCoachApp());
});
afterAll(() => db.drop());

const BUILT_INS = [
  ['active-practice', ['practice']],
  ['drivers-constraints-floats', ['practice', 'dcf']],
  ['operating-maturity', ['maturity']],
  ['tensions-in-how-we-work', ['tension']],
] as const;

const K = 4;

/** What a person reads: the text of the HTML, tags gone, the entities the pages use decoded. */
const textOf = (html: string) =>
  html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<\/?(span|strong|time|a|em|b)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** Sentences that would be false in a round of this anonymity. */
const CONTRADICTIONS = {
  named: [/without (your )?name/i, /anonym/i, /no one can be singled out/i, /\bno name/i],
  anonymous: [
    /\bwith your name/i,
    /sees your name/i,
    /next to your answers/i,
    /\bnamed\b/i,
    /the time you gave them/i,
    /no time/i,
  ],
} as const;

const TEXT_NOTE = {
  named: 'Your coach sees this with your name, in the report and its PDF.',
  anonymous: `Shown without your name, and not before ${K} people have answered.`,
} as const;

const contradictionsIn = (text: string, anonymity: 'named' | 'anonymous') =>
  CONTRADICTIONS[anonymity].filter((pattern) => pattern.test(text)).map(String);

describe.each(['named', 'anonymous'] as const)('a %s round', (anonymity) => {
  describe.each(BUILT_INS)('of "%s"', (slug, kinds) => {
    let html: string;
    let link: string;
    beforeAll(async () => {
      ({ link } = await anOpenRound(app, coach.token, { slug, anonymity, minGroupSize: K }));
      const res = await request(app).get(`/r/${link}`);
      expect(res.status).toBe(200);
      html = res.text;
    });

    it('says once, at the top, what the round keeps; no sentence of the form contradicts it', () => {
      const text = textOf(html);
      expect(text).toContain(
        anonymity === 'named'
          ? 'This round is named: your coach sees your name next to your answers.'
          : 'This round is anonymous: your answers are kept without your name, with the day you gave them but not the time',
      );
      expect(contradictionsIn(text, anonymity)).toEqual([]);
    });

    it.each(kinds)('every %s item promises nothing the round does not keep', (kind) => {
      const items = all(html, new RegExp(`<\\w+ class="item item--${kind}[^"]*" id="item-[^"]+"`));
      expect(items.length).toBeGreaterThan(0);
      for (const opening of items) {
        const id = /id="(item-[^"]+)"/.exec(opening)![1]!;
        const item = elementById(html, id);
        expect({ id, contradictions: contradictionsIn(textOf(item), anonymity) }).toEqual({
          id,
          contradictions: [],
        });
        // Each free text (a prompt's answer, a tension's "why?") says who reads it, and how.
        for (const area of all(item, /<textarea[^>]*>/)) {
          const note = /aria-describedby="[^"]*\b(q-[\w-]+-note)\b/.exec(area)?.[1];
          expect({ id, area, note }).toEqual({ id, area, note: expect.any(String) });
          expect(textOf(elementById(item, note!)).trim()).toBe(TEXT_NOTE[anonymity]);
        }
      }
    });
  });

  it('the thanks page says what was kept: the day, in words that match the round', async () => {
    const { link } = await anOpenRound(app, coach.token, { anonymity, minGroupSize: K });
    const agent = request.agent(app);
    const page = await agent.get(`/r/${link}`);
    const saved = await agent
      .post(`/r/${link}`)
      .type('form')
      .send(dcfForm(keyOf(page.text), anonymity === 'named' ? { respondentName: 'Jo' } : {}));
    expect(saved.status).toBe(303);

    const text = textOf((await agent.get(`/r/${link}/thanks`)).text);

    // The day of the answer, by the app's clock; never a time of day.
    expect(text).toMatch(/are saved, dated \d{4}-\d{2}-\d{2}\. /);
    expect(text).not.toMatch(/\d{2}:\d{2}/);
    expect(text).toContain(
      anonymity === 'named'
        ? 'This round is named: your coach sees your name next to your answers.'
        : 'This round is anonymous: your answers are kept without your name, with the day you gave them but not the time.',
    );
    expect(contradictionsIn(text, anonymity)).toEqual([]);
  });
});

describe('required questions', () => {
  it.each(BUILT_INS)(
    '"%s" marks exactly the questions an empty form is refused for, in words and for assistive technology',
    async (slug) => {
      const { link } = await anOpenRound(app, coach.token, { slug });
      const agent = request.agent(app);
      const page = (await agent.get(`/r/${link}`)).text;
      const refused = await agent
        .post(`/r/${link}`)
        .type('form')
        .send({ respondentKey: keyOf(page) });

      expect(refused.status).toBe(400);
      const numbersIn = (html: string, pattern: RegExp) =>
        [...html.matchAll(pattern)].map((m) => Number(m[1]));
      const refusedFor = [
        ...new Set(numbersIn(refused.text, /<a href="#q-[^"]+">Question (\d+):/g)),
      ];
      const marked = numbersIn(
        page,
        /<span class="item-number">(\d+)\.<\/span>[^<]*<span class="required">\(required\)<\/span>/g,
      );
      expect(marked.length).toBeGreaterThan(0);
      expect(marked).toEqual(refusedFor);
      expect(textOf(page)).toContain('Questions marked “(required)” need an answer.');
      // Every control of a marked question carries `required` (the form stays `novalidate`:
      // the server's messages, not the browser's, explain what is missing).
      expect(page).toMatch(/<form class="questionnaire js-questionnaire"[^>]* novalidate>/);
      for (const n of marked) {
        const id = new RegExp(
          `id="(item-[^"]+)"[^>]*>\\s*<(?:legend|label)[^>]*><span class="item-number">${n}\\.`,
        ).exec(page)![1]!;
        const item = elementById(page, id);
        const controls = all(item, /<(input type="radio"|textarea)[^>]*>/).filter(
          // A tension's "where should we be?" and "why?", and a prompt's rating are optional.
          (c) => !/\.(desired|comment|rating)"/.test(c),
        );
        expect(controls.length).toBeGreaterThan(0);
        for (const control of controls)
          expect({ n, control }).toMatchObject({
            n,
            control: expect.stringMatching(/ required[ >]/),
          });
      }
    },
  );

  it('an optional scale says so, and the form counts its parts in good English', async () => {
    const tensions = await anOpenRound(app, coach.token, { slug: 'tensions-in-how-we-work' });
    const dcf = await anOpenRound(app, coach.token, { slug: 'drivers-constraints-floats' });
    const tensionsText = textOf((await request(app).get(`/r/${tensions.link}`)).text);
    const dcfText = textOf((await request(app).get(`/r/${dcf.link}`)).text);

    expect(tensionsText).toContain('14 questions in 4 parts.');
    expect(dcfText).toContain('3 questions in 1 part.');
    expect(tensionsText).toContain('Where should we be? (optional)');
  });
});
