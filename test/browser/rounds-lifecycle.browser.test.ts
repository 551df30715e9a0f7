import type { Browser } from 'playwright-core';
import type { Express } from 'express';
import { PASSWORD } from '../support/auth';
import { type Account, type Api, openCoachApp } from '../support/api-client';
import { launchChromium, logIn, scrollsSideways, serve, watchConsole } from '../support/browser';
import type { TestDatabase } from '../support/db';

/**
 * Issue #21, point 5, as a coach sees it in Chromium without JavaScript (the confirmation must
 * not need it): a closed round's page hands out no link, and archiving a team asks first,
 * naming the open round it closes, which then takes no answers.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  server = await serve(app);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
  await db.drop();
});

async function coachPage(width: number) {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width, height: 800 },
  });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await logIn(page, server.url, coach.email, PASSWORD);
  return { page, errors, close: () => context.close() };
}

describe.each([1280, 360])('at %i px without JavaScript', (width) => {
  it('a closed round’s page says it closed and offers no link, QR code or card', async () => {
    const { roundId } = await api.openRound();
    await api.post(`/rounds/${roundId}/close`);
    const { page, errors, close } = await coachPage(width);

    await page.goto(`${server.url}/rounds/${roundId}`);

    expect(await page.locator('dt', { hasText: 'Closed' }).count()).toBe(1);
    expect(await page.locator('#round-link').count()).toBe(0);
    expect(await page.locator('img[src$="/qr.svg"]').count()).toBe(0);
    expect(await page.getByText('Everyone in the team answers').count()).toBe(0);
    expect(await page.getByRole('link', { name: /Edit title/ }).isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    expect(errors).toEqual([]);
    await close();
  });

  it('archiving a team asks first, names its open round, and the round then refuses answers', async () => {
    const { roundId, teamId, link } = await api.openRound({
      teamName: `Archived at ${width}`,
    });
    const { page, errors, close } = await coachPage(width);
    await page.goto(`${server.url}/teams/${teamId}`);

    await page.getByRole('link', { name: 'Archive team…' }).click();
    await page.waitForURL(`${server.url}/teams/${teamId}/archive`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(
      `Archive Archived at ${width}?`,
    );
    expect(await page.getByRole('link', { name: 'Round under test' }).isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    const before = await api.get(`/teams/${teamId}`);
    expect(before.body.archived).toBe(false);

    await Promise.all([
      page.waitForURL(`${server.url}/teams/${teamId}`),
      page.getByRole('button', { name: 'Archive and close 1 round' }).click(),
    ]);

    // The session is saved before the 303 leaves (saveSessionBeforeRedirect): the flash is here.
    expect(await page.locator('.flash').textContent()).toBe(
      'The team has been archived, and its open round “Round under test” closed.',
    );
    expect(await page.locator('h1 .status').textContent()).toBe('archived');
    const round = await api.get(`/rounds/${roundId}`);
    expect(round.body.status).toBe('closed');
    const respondent = await browser.newPage();
    const answer = await respondent.goto(`${server.url}/r/${link}`);
    expect(answer?.status()).toBe(410);
    await respondent.close();
    expect(errors).toEqual([]);
    await close();
  });
});
