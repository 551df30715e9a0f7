import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Express } from 'express';
import { movingClock } from '../support/app';
import { PASSWORD } from '../support/auth';
import { type Account, type Api, openCoachApp } from '../support/api-client';
import { answerWithKeyboard, launchChromium, logIn, serve, watchConsole } from '../support/browser';
import type { TestDatabase } from '../support/db';
import { createLifecycle } from '../../src/shared/lifecycle';

/**
 * A whole live session in a real Chromium: the coach's page, the shared screen (another context,
 * no cookies) and five respondents' phones. The screen's count and the coach's reveal button
 * follow the answers as they arrive, with no reload; the reveal waits for k; the screen follows
 * the steps and lists the actions agreed; the next round follows them up.
 */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
const lifecycle = createLifecycle();
const slug = 'tensions-in-how-we-work';

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp({
    clock: movingClock(),
    lifecycle,
    env: { LIVE_POLL_MS: '200' },
  }));
  server = await serve(app);
  browser = await launchChromium();
});
afterAll(async () => {
  lifecycle.beginShutdown();
  await browser.close();
  await server.close();
  await db.drop();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A page in a context of its own (no cookies shared), watched for console errors. */
async function newPage(problems: string[], viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  // A step that does not come fails with its own message, well before the test's time is up.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const seen = watchConsole(page);
  page.on('close', () => problems.push(...seen));
  return page;
}

/** One respondent answering through the round's link on a phone of their own. */
async function answerOnAPhone(link: string, problems: string[]) {
  const phone = await newPage(problems, { width: 360, height: 800 });
  await phone.goto(`${server.url}/r/${link}`);
  await answerWithKeyboard(phone, { text: 'Because' });
  await phone.close();
}

describe('a live session in the room', () => {
  it('counts answers live, reveals at k, steps through the items, agrees an action the next round follows up, and ends', async () => {
    const problems: string[] = [];
    const { roundId, link } = await api.openRound({ slug, title: 'Live one' });

    // The coach starts the session from the round's page.
    const coachPage = await newPage(problems);
    await logIn(coachPage, server.url, coach.email, PASSWORD);
    await coachPage.goto(`${server.url}/rounds/${roundId}`);
    await Promise.all([
      coachPage.waitForURL(`${server.url}/rounds/${roundId}/session`),
      coachPage.getByRole('button', { name: 'Run it live in a meeting' }).click(),
    ]);
    const presenterUrl = await coachPage.inputValue('#presenter-link');
    expect(presenterUrl).toMatch(/\/present\/[^/]+$/);

    // The shared screen: no login, the round's link and QR code, the count.
    const screen = await newPage(problems, { width: 1920, height: 1080 });
    // The link is written with the configured public address; this server is elsewhere.
    await screen.goto(`${server.url}${new URL(presenterUrl).pathname}`);
    expect(await screen.locator('.presenter-link').textContent()).toContain(`/r/${link}`);
    expect(await screen.locator('.presenter-qr svg').count()).toBe(1);
    await screen.getByText('0 answered').waitFor();
    const reveal = coachPage.locator('.js-reveal');

    // Answers arrive: the screen counts them, the coach's button says how many are missing.
    await answerOnAPhone(link, problems);
    await screen.getByText('1 answered').waitFor();
    await answerOnAPhone(link, problems);
    await screen.getByText('2 answered').waitFor();
    await coachPage.locator('.js-reveal:disabled', { hasText: '1 more answer needed' }).waitFor();
    const early = await api.post(`/rounds/${roundId}/session/reveal`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'BELOW_K' } });

    await answerOnAPhone(link, problems);
    await screen.getByText('3 answered').waitFor();
    await coachPage.locator('.js-reveal:enabled', { hasText: 'Reveal the results' }).waitFor();
    expect((await reveal.textContent())?.trim()).toBe('Reveal the results');
    await answerOnAPhone(link, problems);
    await answerOnAPhone(link, problems);
    await screen.getByText('5 answered').waitFor();
    await coachPage.getByText('5 answered').waitFor();

    // The reveal: the screen shows the summary, then each item the coach steps to.
    await Promise.all([coachPage.waitForURL(/\/session$/), reveal.click()]);
    await screen.getByRole('heading', { name: 'At a glance' }).waitFor();
    for (const step of [1, 2, 3]) {
      await Promise.all([
        coachPage.waitForURL(/\/session$/),
        coachPage.getByRole('button', { name: 'Next', exact: true }).click(),
      ]);
      const current = (await coachPage.locator('.step-list [aria-current="step"]').textContent())!;
      await screen.getByText(new RegExp(`^Item ${step} of \\d+$`)).waitFor();
      await screen.locator('.report-item h3', { hasText: current.trim() }).waitFor();
    }

    // An action agreed on the item shown: the screen lists it at once.
    const itemId = ((await api.get(`/rounds/${roundId}/session`)).body as { itemId: string })
      .itemId;
    await coachPage.fill('#action-title', 'Pair on every change for two weeks');
    await coachPage.fill('#action-owner', 'the team');
    await Promise.all([
      coachPage.waitForURL(/\/session$/),
      coachPage.getByRole('button', { name: 'Agree', exact: true }).click(),
    ]);
    await screen.getByRole('heading', { name: 'Agreed so far' }).waitFor();
    await screen.getByText('Pair on every change for two weeks').waitFor();

    // The end: the screen shows what was agreed; the coach is offered the team's results link.
    await Promise.all([
      coachPage.waitForURL(/\/session$/),
      coachPage.getByRole('button', { name: 'End the session' }).click(),
    ]);
    await screen.getByRole('heading', { name: 'Actions agreed' }).waitFor();
    await screen.getByText('Pair on every change for two weeks').waitFor();
    await Promise.all([
      coachPage.waitForURL(`${server.url}/rounds/${roundId}/results-link`),
      coachPage.getByRole('link', { name: 'Team results link' }).click(),
    ]);

    // The next round of the team follows the action up, on its item.
    const { teamId } = (await api.get(`/rounds/${roundId}`)).body as { teamId: string };
    const next = await api.openRound({ slug, teamId, title: 'Live two' });
    const report = (await api.get(`/rounds/${next.roundId}/report`)).body as {
      actions: { title: string; item: { id: string } | null }[];
    };
    expect(report.actions).toEqual([
      expect.objectContaining({
        title: 'Pair on every change for two weeks',
        item: expect.objectContaining({ id: itemId }),
      }),
    ]);

    await Promise.all(contexts.map((c) => Promise.all(c.pages().map((p) => p.close()))));
    expect(problems).toEqual([]);
  }, 120_000);
});
