import type { Page } from 'playwright-core';
import { movingClock } from '../support/app';
import { PASSWORD } from '../support/auth';
import {
  logIn,
  openBrowserApp,
  scrollsSideways,
  seriousAccessibilityViolations,
  watchConsole,
} from '../support/browser';

/**
 * The questionnaire editor in a real Chromium without JavaScript, as issue 24 is done: a coach
 * makes "Tensions in how we work" theirs, rewords one pole and changes another question's
 * meaning, publishes saying which is which, and the versions and diff pages say so.
 */
let harness: Awaited<ReturnType<typeof openBrowserApp>>;

beforeAll(async () => {
  // A clock that moves: a team's rounds follow each other (the follow-up needs a round before).
  harness = await openBrowserApp({ clock: movingClock() });
});
afterAll(() => harness.close());

/** Runs `run` logged in; `expected` are the console messages it should cause (a refused form). */
async function withPage(
  javaScriptEnabled: boolean,
  run: (page: Page) => Promise<void>,
  expected: (baseUrl: string) => string[] = () => [],
) {
  const context = await harness.browser.newContext({
    javaScriptEnabled,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    await logIn(page, harness.server.url, harness.coach.email, PASSWORD);
    await run(page);
    expect(problems).toEqual(expected(harness.server.url));
  } finally {
    await context.close();
  }
}

async function makeItOurs(page: Page, slug: string) {
  await page.goto(`${harness.server.url}/questionnaires/tensions-in-how-we-work`);
  await Promise.all([
    page.waitForURL(/\/fork$/),
    page.getByRole('link', { name: 'Make it ours' }).click(),
  ]);
  await page.getByLabel('Title').fill('Our tensions');
  await page.getByLabel('Short name for addresses (slug)').fill(slug);
  await Promise.all([
    page.waitForURL(new RegExp(`/questionnaires/${slug}/edit$`)),
    page.getByRole('button', { name: 'Make it ours' }).click(),
  ]);
}

const question = (page: Page, id: string) =>
  page.getByRole('group', { name: new RegExp(`^Question \\d+: Tension \\(${id}\\)`) });

it('forks, rewords one pole and changes another question, and publishes saying which is which', async () => {
  await withPage(false, async (page) => {
    await makeItOurs(page, 'our-tensions');
    await question(page, 'procedural-vs-outcome')
      .getByLabel('Left pole: label')
      .fill('Recipes to follow');
    await question(page, 'cascade-vs-local-sense')
      .getByLabel('Question above the scale')
      .fill('Who sets our goals: people above us, or we ourselves?');
    await Promise.all([
      page.waitForURL(/\/questionnaires\/our-tensions\/publish$/),
      page.getByRole('button', { name: 'Publish', exact: true }).click(),
    ]);

    const asked = page.getByRole('group', { name: /^Edited question/ });
    expect(await asked.count()).toBe(2);
    await page
      .getByRole('group', { name: /procedural-vs-outcome/ })
      .getByLabel('Only its words changed: answers stay comparable')
      .check();
    await page
      .getByRole('group', { name: /cascade-vs-local-sense/ })
      .getByLabel('Its meaning changed: answers are not comparable with earlier ones')
      .check();
    await Promise.all([
      page.waitForURL(/\/questionnaires\/our-tensions\/versions$/),
      page.getByRole('button', { name: 'Publish' }).click(),
    ]);

    const version = (await page.locator('#version-1').textContent()) ?? '';
    expect(version.replace(/\s+/g, ' ')).toContain('procedural-vs-outcome: reworded');
    expect(version.replace(/\s+/g, ' ')).toContain('cascade-vs-local-sense: changed');
    await Promise.all([
      page.waitForURL(/\/diff\?/),
      page.getByRole('link', { name: 'Compare with the version before' }).click(),
    ]);
    expect(await page.locator('#diff-procedural-vs-outcome').textContent()).toContain(
      'Reworded: only the words changed',
    );
    expect(await page.locator('#diff-cascade-vs-local-sense').textContent()).toContain(
      'Changed: the meaning changed',
    );
    expect(await page.locator('#diff-busy-vs-flow').textContent()).toContain('Unchanged');

    await page.setViewportSize({ width: 360, height: 800 });
    expect(await scrollsSideways(page)).toBe(false);
  });
});

it('shows a pole without a risk at its field, reachable from the summary, on a desktop and a phone', async () => {
  await withPage(
    true,
    async (page) => {
      await makeItOurs(page, 'checked-tensions');
      await question(page, 'procedural-vs-outcome')
        .getByRole('group', { name: 'Right pole' })
        .getByLabel('Right pole: what it costs (risk)')
        .fill('');
      await Promise.all([
        page.waitForURL(/\/edit$/),
        page.getByRole('button', { name: 'Publish', exact: true }).click(),
      ]);
      await page
        .getByRole('link', { name: /Right pole: what it costs \(risk\): Must not be empty/ })
        .click();
      expect(await page.evaluate<string>('document.activeElement.id')).toBe(
        'field-sections-0-items-0-right-risk',
      );
      expect(await page.locator('#field-sections-0-items-0-left-label').inputValue()).toBe(
        'Steps to follow',
      );
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await scrollsSideways(page)).toBe(false);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
      }
    },
    (url) => [
      `${url}/questionnaires/checked-tensions/edit: Failed to load resource: the server responded with a status of 400 (Bad Request)`,
    ],
  );
});

it('has no serious accessibility findings on the publish step, the versions and the diff', async () => {
  await withPage(true, async (page) => {
    await makeItOurs(page, 'axe-tensions');
    await question(page, 'busy-vs-flow').getByLabel('Right pole: label').fill('Work that flows on');
    const pages: string[] = [];
    const check = async () => {
      pages.push(new URL(page.url()).pathname);
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await scrollsSideways(page)).toBe(false);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
      }
    };
    await Promise.all([
      page.waitForURL(/\/publish$/),
      page.getByRole('button', { name: 'Publish', exact: true }).click(),
    ]);
    await check();
    await page.getByLabel('Only its words changed: answers stay comparable').check();
    await Promise.all([
      page.waitForURL(/\/versions$/),
      page.getByRole('button', { name: 'Publish' }).click(),
    ]);
    await check();
    await Promise.all([
      page.waitForURL(/\/diff\?/),
      page.getByRole('link', { name: 'Compare with the version before' }).click(),
    ]);
    await check();
    expect(pages).toEqual([
      '/questionnaires/axe-tensions/publish',
      '/questionnaires/axe-tensions/versions',
      '/questionnaires/axe-tensions/diff',
    ]);
  });
});

it('runs a round on each version for one team: the trend and the follow-up compare the reworded item, not the changed one', async () => {
  const { api } = harness;
  // Tensions whose answers lean one way in the first round and the other way in the second.
  const answersTo = async (link: string, value: number) => {
    const items = await api.items('loop-tensions');
    for (let i = 0; i < 3; i += 1)
      await api.answer(link, { answers: items.map((item) => ({ itemId: item.id, value })) });
  };
  await withPage(false, async (page) => {
    await makeItOurs(page, 'loop-tensions');
  });
  // Round 1 on the fork's first version; the team agrees actions on both items to be edited.
  const first = await api.openRound({ slug: 'loop-tensions', title: 'Loop one' });
  await answersTo(first.link, 2);
  await api.post(`/rounds/${first.roundId}/close`);
  for (const itemId of ['procedural-vs-outcome', 'cascade-vs-local-sense'])
    await api.post(`/teams/${first.teamId}/actions`, {
      sourceRoundId: first.roundId,
      itemId,
      title: `Act on ${itemId}`,
    });

  // The coach rewords one pole and changes the other question's meaning, in the browser.
  await withPage(false, async (page) => {
    await page.goto(`${harness.server.url}/questionnaires/loop-tensions/edit`);
    await question(page, 'procedural-vs-outcome')
      .getByLabel('Left pole: label')
      .fill('Recipes to follow');
    await question(page, 'cascade-vs-local-sense')
      .getByLabel('Question above the scale')
      .fill('Who sets our goals: people above us, or we ourselves?');
    await Promise.all([
      page.waitForURL(/\/publish$/),
      page.getByRole('button', { name: 'Publish', exact: true }).click(),
    ]);
    await page
      .getByRole('group', { name: /procedural-vs-outcome/ })
      .getByLabel('Only its words changed: answers stay comparable')
      .check();
    await page
      .getByRole('group', { name: /cascade-vs-local-sense/ })
      .getByLabel('Its meaning changed: answers are not comparable with earlier ones')
      .check();
    await Promise.all([
      page.waitForURL(/\/versions$/),
      page.getByRole('button', { name: 'Publish' }).click(),
    ]);
  });

  // Round 2 on the new version (round 1 locked the first), for the same team.
  const second = await api.openRound({
    slug: 'loop-tensions',
    title: 'Loop two',
    teamId: first.teamId,
  });
  await answersTo(second.link, 6);
  const versions = (await api.get('/questionnaires/loop-tensions/versions')).body as {
    versions: { version: number }[];
  };
  expect(versions.versions.map((v) => v.version)).toEqual([1, 2]);

  // The follow-up of round 2: the reworded item's action compared, the changed one's not.
  const report = (await api.get(`/rounds/${second.roundId}/report`)).body as {
    actions: { title: string; comparison: string }[];
  };
  expect(report.actions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ title: 'Act on procedural-vs-outcome', comparison: 'compared' }),
      expect.objectContaining({
        title: 'Act on cascade-vs-local-sense',
        comparison: 'not-comparable',
      }),
    ]),
  );
  // The trend: the line of the changed item breaks at round 2, the reworded one's goes on.
  const trend = (await api.get(`/teams/${first.teamId}/trend?questionnaire=loop-tensions`))
    .body as { rounds: { title: string; notComparable: string[] }[] };
  expect(trend.rounds.map((r) => [r.title, r.notComparable])).toEqual([
    ['Loop one', []],
    ['Loop two', ['cascade-vs-local-sense']],
  ]);

  // And the pages say it in words.
  await withPage(false, async (page) => {
    await page.goto(
      `${harness.server.url}/reports/teams/${first.teamId}/trend?questionnaire=loop-tensions`,
    );
    expect(await page.locator('main').textContent()).toContain('not comparable');
    await page.goto(`${harness.server.url}/reports/rounds/${second.roundId}`);
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('not comparable');
    expect(text).toContain('Act on procedural-vs-outcome');
  });
}, 120_000);
