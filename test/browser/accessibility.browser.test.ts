import type { Browser } from 'playwright-core';
import type { Express } from 'express';
import { PASSWORD } from '../support/auth';
import { type Account, type Api, openCoachApp } from '../support/api-client';
import {
  answerWithKeyboard,
  launchChromium,
  logIn,
  seriousAccessibilityViolations,
  serve,
  type AccessibilityViolation,
} from '../support/browser';
import type { TestDatabase } from '../support/db';

/**
 * axe-core on the pages people use most: the questionnaire, the thank-you page, the dashboard
 * and the report pages (with the demo data). No serious or critical violation is allowed.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  server = await serve(app);
  browser = await launchChromium();
  await api.post('/demo');
});
afterAll(async () => {
  await browser.close();
  await server.close();
  await db.drop();
});

it.each([
  ['tensions-in-how-we-work'],
  ['operating-maturity'],
  ['active-practice'],
  ['drivers-constraints-floats'],
])('the %s questionnaire and its thank-you page', async (slug) => {
  const { link } = await api.openRound({ slug });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    const found: AccessibilityViolation[] = [];
    await page.goto(`${server.url}/r/${link}`);
    found.push(...(await seriousAccessibilityViolations(page)));
    // The form with its error summary: sent empty.
    await Promise.all([page.waitForNavigation(), page.click('form button[type="submit"]')]);
    expect(await page.locator('.error-summary, [role="alert"]').count()).toBeGreaterThan(0);
    found.push(...(await seriousAccessibilityViolations(page)));
    await answerWithKeyboard(page, { text: 'A considered answer' });
    await page.waitForURL(/\/thanks$/);
    found.push(...(await seriousAccessibilityViolations(page)));
    expect(found).toEqual([]);
  } finally {
    await context.close();
  }
});

// Some thirty pages, each loaded and checked: longer than the default 30 s on a busy machine.
it('the dashboard, every report page of the demo, and the team and action pages', async () => {
  const rounds = (await api.get('/rounds')).body.items as {
    id: string;
    teamId: string;
    title: string;
  }[];
  const tensions = rounds.filter((r) => r.title === 'Tensions').map((r) => r.id);
  const teamId = rounds[0]!.teamId;
  const actions = (await api.get(`/teams/${teamId}/actions`)).body.items as { id: string }[];
  expect(actions.length).toBeGreaterThan(0);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await logIn(page, server.url, coach.email, PASSWORD);
    const found: AccessibilityViolation[] = [];
    for (const path of [
      '/dashboard',
      ...rounds.map((r) => `/reports/rounds/${r.id}`),
      `/reports/rounds/${tensions[0]}/print`,
      `/reports/compare?rounds=${tensions.join(',')}`,
      `/reports/teams/${teamId}/trend`,
      `/teams/${teamId}`,
      `/teams/${teamId}/actions/new?round=${rounds[0]!.id}`,
      `/actions/${actions[0]!.id}`,
      `/rounds/${rounds[0]!.id}/invitations`,
      `/r/${'z'.repeat(32)}`,
    ]) {
      await page.goto(`${server.url}${path}`);
      found.push(...(await seriousAccessibilityViolations(page)));
    }
    expect(found).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);
