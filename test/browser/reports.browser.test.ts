import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../support/app';
import { PASSWORD, apiSignup, bearer, loggedInAgent } from '../support/auth';
import { launchChromium, logIn, scrollsSideways, serve, watchConsole } from '../support/browser';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { pdfText } from '../support/pdf';

/** Report pages in a real Chromium, with the demo data: PDF, phone width, console. */
let db: TestDatabase;
let app: Express;
let coach: Awaited<ReturnType<typeof apiSignup>>;
let rounds: { id: string; teamId: string; title: string }[];

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db.conn);
  coach = await apiSignup(app);
  await request(app).post('/api/v1/demo').set(bearer(coach.token));
  rounds = (await request(app).get('/api/v1/rounds').set(bearer(coach.token))).body.items;
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
      report: (await request(app).get(`/api/v1/rounds/${r.id}/report`).set(bearer(coach.token)))
        .body as { suppressed: boolean; team: { name: string }; n: number },
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
    // One column per team that has such a round, each with its n.
    const tensionTeams = new Set(rounds.filter((r) => r.title === 'Tensions').map((r) => r.teamId));
    expect(await page.locator('.heatmap--tensions thead .heat-n').count()).toBe(tensionTeams.size);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
});
