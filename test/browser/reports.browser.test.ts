import type request from 'supertest';
import type { Express } from 'express';
import { PASSWORD, loggedInAgent } from '../support/auth';
import { type Account, type Api, openCoachApp } from '../support/api-client';
import { launchChromium, logIn, scrollsSideways, serve, watchConsole } from '../support/browser';
import type { TestDatabase } from '../support/db';
import { pdfText } from '../support/pdf';

/** Report pages in a real Chromium, with the demo data: PDF, phone width, console. */
let db: TestDatabase, app: Express, coach: Account, api: Api;
let rounds: { id: string; teamId: string; title: string }[];

beforeAll(async () => {
  ({ db, app, coach, api } = await openCoachApp());
  await api.post('/demo');
  rounds = (await api.get('/rounds')).body.items;
});
afterAll(() => db.drop());

/** The PDF of a round's report, downloaded by a signed-in coach. */
async function downloadPdf(agent: ReturnType<typeof request.agent>, roundId: string, paper = 'a4') {
  return agent
    .get(`/reports/rounds/${roundId}/report.pdf?paper=${paper}`)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

it('reads in the PDF what the page shows, and below k no figure at all', async () => {
  const agent = await loggedInAgent(app, coach.email);
  const reports = await Promise.all(
    rounds.map(async (r) => ({
      round: r,
      report: (await api.get(`/rounds/${r.id}/report`)).body as {
        suppressed: boolean;
        team: { name: string };
        n: number;
      },
    })),
  );
  const shown = reports.find((r) => !r.report.suppressed && r.round.title === 'Tensions')!;
  const hidden = reports.find((r) => r.report.suppressed)!;

  const shownText = await pdfText((await downloadPdf(agent, shown.round.id)).body as Buffer);
  const hiddenText = await pdfText((await downloadPdf(agent, hidden.round.id)).body as Buffer);

  expect(shownText).toContain(shown.report.team.name);
  expect(shownText).toMatch(/\b\d\.\d\d\b/); // means, SDs and consensus figures
  expect(hiddenText).toContain(hidden.report.team.name);
  expect(hiddenText).toMatch(/Fewer than \d+ people have answered/);
  expect(hiddenText).not.toMatch(/\b\d\.\d\d\b/);
});

it('downloads a report as a PDF in A4 and Letter', async () => {
  const agent = await loggedInAgent(app, coach.email);
  const round = rounds.find((r) => r.title === 'Tensions')!;

  for (const paper of ['a4', 'letter']) {
    const res = await downloadPdf(agent, round.id, paper);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename=teamlens-[a-z0-9-]+\.pdf$/,
    );
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const mediaBox = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(body.toString('latin1'));
    // A4 is 595 × 842 points, Letter 612 × 792.
    expect(mediaBox?.slice(1, 3).map(Number).map(Math.floor)).toEqual(
      paper === 'a4' ? [595, 842] : [612, 792],
    );
  }
});

it('report, comparison and trend pages render without console errors or sideways scrolling at 360 px', async () => {
  const server = await serve(app);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await logIn(page, server.url, coach.email, PASSWORD);
    const tensions = rounds.filter((r) => r.title === 'Tensions').map((r) => r.id);
    const wide: string[] = [];
    for (const path of [
      ...rounds.map((r) => `/reports/rounds/${r.id}`),
      `/reports/rounds/${tensions[0]}/print`,
      `/reports/compare?rounds=${tensions.join(',')}`,
      `/reports/teams/${rounds[0]!.teamId}/trend`,
    ]) {
      await page.goto(`${server.url}${path}`);
      if (await scrollsSideways(page)) wide.push(path);
    }
    expect(wide).toEqual([]);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});

it('prints the blank workshop copies several items to a page, without web-only words', async () => {
  const server = await serve(app);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    const pages: Record<string, number> = {};
    for (const slug of ['tensions-in-how-we-work', 'operating-maturity']) {
      await page.goto(`${server.url}/questionnaires/${slug}/print`);
      const text = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
      pages[slug] = text.trimEnd().split('\n').length;
      expect(text).not.toMatch(/\bOpen "|\(required\)|click|tap/i);
    }
    // 14 tension items and 18 maturity items: 8 and 7 pages when each part began a new page.
    expect(pages['tensions-in-how-we-work']).toBeLessThanOrEqual(5);
    expect(pages['operating-maturity']).toBeLessThanOrEqual(4);
  } finally {
    await browser.close();
    await server.close();
  }
});

/**
 * "Tensions in how we work" answered by 6 people, each with a short "why?" on every tension
 * (#21: 16 A4 pages, one item a page, and the summary's chart and list cut across pages).
 */
async function aTensionsRoundWithComments(): Promise<string> {
  const slug = 'tensions-in-how-we-work';
  const items = await api.items(slug);
  const whys = [
    'Because deadlines keep slipping.',
    'We plan a lot but adapt late.',
    'It depends on the sprint.',
    'Management asks for dates.',
    'We learned it the hard way.',
    'Hard to say, mostly habit.',
  ];
  const people = whys.map((_why, person) => ({
    answers: items.map((item, i) => ({
      itemId: item.id,
      value: 1 + ((person * 3 + i) % 7),
      ...(item.askDesired ? { desired: 1 + ((person + i + 2) % 7) } : {}),
      comment: whys[(person + i) % whys.length],
    })),
  }));
  return (await api.answeredRound({ slug }, people)).roundId;
}

it('prints a tensions report with a "why?" on every item on at most 8 A4 pages, keeping the summary’s chart and lists whole', async () => {
  const roundId = await aTensionsRoundWithComments();
  const report = (await api.get(`/rounds/${roundId}/report`)).body as {
    summary: { tensions: { left: string; right: string }[]; discuss: { title: string }[] };
  };
  const agent = await loggedInAgent(app, coach.email);
  const pages = (await pdfText((await downloadPdf(agent, roundId)).body as Buffer))
    .trimEnd()
    .split('\n');
  /** The page (0-based) where `text` first appears; the summary comes before the items. */
  // Compared without spaces and with ligatures undone: pdf.js gives "fi rst" for "first".
  const plain = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
  const pageOf = (text: string) => pages.findIndex((page) => plain(page).includes(plain(text)));

  expect(pages.length).toBeLessThanOrEqual(8);
  const { tensions, discuss } = report.summary;
  expect(tensions).toHaveLength(14);
  const stands = pageOf('Where the team stands');
  expect(stands).toBeGreaterThanOrEqual(0);
  expect([pageOf(tensions[0]!.left), pageOf(tensions.at(-1)!.right)]).toEqual([stands, stands]);
  const first = pageOf('Discuss first');
  expect(first).toBeGreaterThanOrEqual(0);
  // A title may wrap in the PDF's text: its first words are enough to find it.
  const start = (title: string) => title.split(' ').slice(0, 4).join(' ');
  expect(discuss).toHaveLength(5);
  expect([pageOf(start(discuss[0]!.title)), pageOf(start(discuss[4]!.title))]).toEqual([
    first,
    first,
  ]);
  expect(pageOf('Then discuss')).toBe(pageOf('more items follow below'));
});

it('stands each histogram bar under its tick of the tension’s 1–7 axis, on screen and in print', async () => {
  const roundId = await aTensionsRoundWithComments();
  const server = await serve(app);
  const browser = await launchChromium();
  try {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await logIn(page, server.url, coach.email, PASSWORD);
    for (const [path, media] of [
      [`/reports/rounds/${roundId}`, 'screen'],
      [`/reports/rounds/${roundId}/print`, 'print'],
    ] as const) {
      await page.emulateMedia({ media });
      await page.goto(`${server.url}${path}`);
      // Per tension: the largest distance between a bar's centre and its tick's, in pixels.
      const offsets = await page.evaluate<number[]>(`[...document.querySelectorAll(
        '.report-item .tension-report')].map((figure) => {
          const centre = (e) => { const box = e.getBoundingClientRect(); return box.left + box.width / 2; };
          const ticks = [...figure.querySelectorAll('.chart--axis .chart-tick')].map(centre);
          const bars = [...figure.querySelectorAll('.chart--histogram .chart-bar')].map(centre);
          return bars.length === 7 && ticks.length === 7
            ? Math.max(...bars.map((x, i) => Math.abs(x - ticks[i])))
            : Infinity;
        })`);
      expect(offsets).toHaveLength(14);
      // Within a pixel: the bar of answer v stands under the axis's v.
      expect(Math.max(...offsets)).toBeLessThan(1);
    }
  } finally {
    await browser.close();
    await server.close();
  }
});

it('compares at once: a questionnaire picked, each team’s latest round is chosen and Compare shows them', async () => {
  const server = await serve(app);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    const problems = watchConsole(page);
    await logIn(page, server.url, coach.email, PASSWORD);
    await page.goto(`${server.url}/reports/compare`);
    await page.selectOption('#pick-questionnaire', { label: 'Tensions in how we work' });
    await page.getByRole('button', { name: 'Show its rounds' }).click();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();

    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('heading', { name: 'Positions on each tension' }).waitFor();
    // One column per team that has a round of it (other tests of this file add some), each with its n.
    const all = (await api.get('/rounds')).body as {
      items: { teamId: string; questionnaire: { slug: string } }[];
    };
    const tensionTeams = new Set(
      all.items
        .filter((r) => r.questionnaire.slug === 'tensions-in-how-we-work')
        .map((r) => r.teamId),
    );
    expect(await page.locator('.heatmap--tensions thead .heat-n').count()).toBe(tensionTeams.size);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
