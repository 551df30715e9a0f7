import type { Browser } from 'playwright-core';
import type { Express } from 'express';
import { movingClock } from '../support/app';
import { PASSWORD } from '../support/auth';
import { type Account, type Api, openCoachApp } from '../support/api-client';
import { launchChromium, logIn, scrollsSideways, serve, watchConsole } from '../support/browser';
import type { TestDatabase } from '../support/db';

/**
 * The loop in a real Chromium, with and without JavaScript: a coach agrees an action on an
 * item of round 1's report, the team answers round 2, and round 2's report opens with that
 * action and the item before and after, on a desktop and on a phone.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({ clock: movingClock() }));
  server = await serve(app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
  await db.drop();
});

/** A round of the built-in tensions questionnaire, answered with these values on every item. */
async function aRound(teamId: string, title: string, values: number[]) {
  const slug = 'tensions-in-how-we-work';
  const items = await api.items(slug);
  const { roundId } = await api.answeredRound(
    { teamId, slug, title },
    values.map((value) => ({ answers: items.map((item) => ({ itemId: item.id, value })) })),
  );
  return roundId;
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a coach %s', (_label, javaScriptEnabled) => {
  it('agrees an action on an item, and reads it followed up in the next round’s report', async () => {
    const team = await api.team(`Loop ${String(javaScriptEnabled)}`);
    const first = await aRound(team, 'Spring', [2, 2, 3]);
    const context = await browser.newContext({
      javaScriptEnabled,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    try {
      await logIn(page, server.url, coach.email, PASSWORD);
      await page.goto(`${server.url}/reports/rounds/${first}`);
      const item = page.locator('#item-procedural-vs-outcome');
      await Promise.all([
        page.waitForURL(/\/actions\/new\?/),
        item.getByRole('link', { name: 'Agree an action on this' }).click(),
      ]);
      await page.getByLabel('What will the team do?').fill('Describe the outcome first');
      await page.getByLabel('Move towards (tensions, optional)').selectOption('right');
      await page.getByLabel('Owner (optional)').fill('Sam');
      await Promise.all([
        page.waitForURL(new RegExp(`/reports/rounds/${first}#item-procedural-vs-outcome$`)),
        page.getByRole('button', { name: 'Save action' }).click(),
      ]);
      expect(await item.textContent()).toContain('Describe the outcome first');

      const second = await aRound(team, 'Autumn', [5, 5, 6]);
      await page.goto(`${server.url}/reports/rounds/${second}`);
      const followUps = (await page.locator('#follow-ups').textContent()) ?? '';
      expect(followUps).toContain('Describe the outcome first');
      expect(followUps).toContain('Mean 2.33 → 5.33 (+3.00)');
      expect(followUps).toContain('Moved towards “Outcome to reach”');

      await page.setViewportSize({ width: 360, height: 800 });
      await page.reload();
      expect(await scrollsSideways(page)).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
