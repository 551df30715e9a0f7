import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { Express } from 'express';
import { PASSWORD } from '../support/auth';
import { type Account, anOpenRound, openCoachApp } from '../support/api-client';
import {
  answerWithKeyboard,
  launchChromium,
  logIn,
  scrollsSideways,
  serve,
  watchConsole,
} from '../support/browser';
import type { TestDatabase } from '../support/db';
import { countStoredResponses, storedResponses } from '../support/responses';

/**
 * A team member answers in a real Chromium, with the keyboard only, with and without
 * JavaScript, on a phone-sized screen; the coach sees the count. User input that looks like
 * HTML stays text everywhere.
 */
const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';

let db: TestDatabase, app: Express, coach: Account;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  ({ db, app, coach } = await openCoachApp());
  server = await serve(app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
  await db.drop();
});

async function newPage(options: { javaScriptEnabled?: boolean; width?: number } = {}) {
  const context: BrowserContext = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  return { page, problems: watchConsole(page), close: () => context.close() };
}

async function responseCount(roundId: string): Promise<number> {
  return countStoredResponses(db.conn, roundId);
}

/** The coach logs in with the browser and reads the count on the round page. */
async function countOnRoundPage(roundId: string): Promise<string> {
  const { page, problems, close } = await newPage();
  await logIn(page, server.url, coach.email, PASSWORD);
  await page.goto(`${server.url}/rounds/${roundId}`);
  const count = (await page.textContent('#response-count')) ?? '';
  expect(problems).toEqual([]);
  await close();
  return count.trim();
}

describe.each([
  ['with JavaScript', true, 'tensions-in-how-we-work'],
  ['without JavaScript', false, 'drivers-constraints-floats'],
])('a respondent %s', (_label, javaScriptEnabled, slug) => {
  it('answers a built-in questionnaire with the keyboard only, edits it, and the coach sees one response', async () => {
    // Arrange
    const { link, roundId } = await anOpenRound(app, coach.token, {
      slug,
      teamName: `${slug.slice(0, 8)} ${PAYLOAD}`,
    });
    const { page, problems, close } = await newPage({ javaScriptEnabled });

    // Act 1: answer everything with Tab, arrows, typing and Enter.
    await page.goto(`${server.url}/r/${link}`);
    await answerWithKeyboard(page, { text: PAYLOAD });

    // Assert 1: thanked; one response stored; the payload is text, not markup.
    expect(page.url()).toBe(`${server.url}/r/${link}/thanks`);
    expect(await page.textContent('h1')).toBe('Thank you');
    expect(await responseCount(roundId)).toBe(1);
    const first = (await storedResponses(db.conn, roundId))[0];

    // Act 2: come back through the thank-you page and change the answers.
    await Promise.all([
      page.waitForURL(`${server.url}/r/${link}`),
      page.click('text=Change my answers'),
    ]);
    expect(await page.textContent('.flash')).toMatch(/You answered on/);
    if (slug === 'drivers-constraints-floats') {
      expect(await page.inputValue('#q-effort-in-one-sentence-text')).toBe(PAYLOAD);
    }
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.textContent('body')).toContain(`${slug.slice(0, 8)} ${PAYLOAD}`);
    await answerWithKeyboard(page, { text: ' (edited)' });

    // Assert 2: still one response, now edited; the coach's page counts it; no errors anywhere.
    expect(page.url()).toBe(`${server.url}/r/${link}/thanks`);
    expect(await responseCount(roundId)).toBe(1);
    const edited = (await storedResponses(db.conn, roundId))[0];
    expect(edited?._id).toBe(first?._id);
    expect(edited?.answers).not.toEqual(first?.answers);
    expect(problems).toEqual([]);
    await close();
    expect(await countOnRoundPage(roundId)).toBe(
      '1 answered · 2 more answers before any figure shows',
    );
  });
});

describe('on a 360 px wide screen', () => {
  it('no page of the respondent or the coach scrolls sideways', async () => {
    const { link, roundId } = await anOpenRound(app, coach.token, { slug: 'operating-maturity' });
    const { page, problems, close } = await newPage({ width: 360 });
    const wide: string[] = [];
    const check = async (path: string) => {
      await page.goto(`${server.url}${path}`);
      if (await scrollsSideways(page)) wide.push(path);
    };

    for (const path of [
      `/r/${link}`,
      '/',
      '/questionnaires',
      '/questionnaires/tensions-in-how-we-work',
      '/questionnaires/drivers-constraints-floats',
      '/login',
      '/signup',
    ]) {
      await check(path);
    }
    await logIn(page, server.url, coach.email, PASSWORD);
    for (const path of [
      '/dashboard',
      '/teams',
      `/rounds/${roundId}`,
      '/rounds/new',
      '/account',
      '/workspace',
      '/api/docs',
    ]) {
      await check(path);
    }

    expect(wide).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });
});

describe('a question on a 360 px wide screen', () => {
  /**
   * Titles (legends, labels) not wholly inside their card, below its top border. A string,
   * not a function: this project compiles without the DOM library.
   */
  const titlesOutsideTheirCard = (page: Page) =>
    page.evaluate<
      string[]
    >(`[...document.querySelectorAll('.item, .dcf-aspect')].flatMap((card) => {
      const title = card.querySelector(':scope > legend, :scope > .item-label');
      if (!title) return ['no title: ' + card.id];
      const c = card.getBoundingClientRect();
      const t = title.getBoundingClientRect();
      const top = c.top + parseFloat(getComputedStyle(card).borderTopWidth);
      const inside = t.top >= top && t.bottom <= c.bottom && t.left >= c.left && t.right <= c.right;
      return inside ? [] : [title.textContent.trim().slice(0, 60)];
    })`);

  it.each([
    'tensions-in-how-we-work',
    'operating-maturity',
    'drivers-constraints-floats',
    'active-practice',
  ])('of "%s" keeps its whole title inside its card', async (slug) => {
    const { link } = await anOpenRound(app, coach.token, { slug });
    const { page, problems, close } = await newPage({ width: 360 });
    await page.goto(`${server.url}/r/${link}`);

    // Some titles are long enough to take several lines at this width: those are the test.
    const lines = await page.evaluate<number>(`Math.max(
      ...[...document.querySelectorAll('.item > legend, .item-label')].map(
        (t) => t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).lineHeight),
      ),
    )`);
    expect(lines).toBeGreaterThanOrEqual(2);
    expect(await titlesOutsideTheirCard(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });

  it('offers "Can’t say" as a control as large as a point of the scale', async () => {
    const { link } = await anOpenRound(app, coach.token, { slug: 'tensions-in-how-we-work' });
    const { page, problems, close } = await newPage({ width: 360 });
    await page.goto(`${server.url}/r/${link}`);
    const box = async (selector: string) => {
      const found = await page.locator(selector).first().boundingBox();
      if (!found) throw new Error(`${selector} is not shown`);
      return found;
    };

    await page.locator('.scale .cant-say').first().scrollIntoViewIfNeeded();
    const point = await box('.scale-option');
    const pointRadio = await box('.scale-option input');
    const cantSay = await box('.scale .cant-say');
    const cantSayRadio = await box('.scale .cant-say input');

    expect(cantSayRadio.width).toBeCloseTo(pointRadio.width, 0);
    expect(cantSayRadio.height).toBeCloseTo(pointRadio.height, 0);
    expect(cantSay.height).toBeGreaterThanOrEqual(point.height - 0.5);
    expect(cantSay.width).toBeGreaterThanOrEqual(point.width);
    // The whole control answers a tap (here at its right end), as a point of the scale does.
    await page.mouse.click(cantSay.x + cantSay.width - 3, cantSay.y + cantSay.height / 2);
    expect(await page.locator('.scale .cant-say input').first().isChecked()).toBe(true);
    expect(problems).toEqual([]);
    await close();
  });
});

describe('a coach typing markup into a team name', () => {
  it('sees it as text on every page, with no script run', async () => {
    const team = await request(app)
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${coach.token}`)
      .send({ name: `Coach ${PAYLOAD}` });
    const { page, problems, close } = await newPage();
    await logIn(page, server.url, coach.email, PASSWORD);

    for (const path of ['/dashboard', '/teams', `/teams/${team.body.id}`]) {
      await page.goto(`${server.url}${path}`);
      expect(await page.textContent('main')).toContain(`Coach ${PAYLOAD}`);
      expect(await page.locator('main img[src="x"], main script').count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await close();
  });
});
