import { allProcesses } from '../../scripts/support/processes';
import { ServiceUnavailableError } from '../../src/shared/errors';
import { createLogger } from '../../src/shared/logging';
import type { PdfInput } from '../../src/shared/pdf';
import { buildTestApp } from '../support/app';
import { loggedInAgent } from '../support/auth';
import { anOpenRound, apiSignup } from '../support/api-client';
import { CHROMIUM_PATH } from '../support/browser';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { closeTestPdfRenderers, testPdfRenderer } from '../support/pdf';
import { memoryLog } from '../support/log';

/**
 * PDFs under load, with Debian's Chromium: one browser kept running for every PDF, at most N
 * documents printed at once, a short queue and 503 PDF_BUSY beyond it, a hung render stopped,
 * a killed browser replaced.
 */
const A_REPORT: PdfInput = {
  html: '<!doctype html><title>Report</title><h1>Team report</h1><p>Consensus 0.82</p>',
  styles: ['h1 { color: navy }'],
  format: 'A4',
};
/** A document that never finishes loading: a model of a render that hangs. */
const A_HANGING_PAGE: PdfInput = { ...A_REPORT, html: '<script>for (;;) {}</script>' };

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
const renderer = (options: Partial<Parameters<typeof testPdfRenderer>[0]> = {}) =>
  testPdfRenderer({
    chromiumPath: CHROMIUM_PATH,
    concurrency: 2,
    queueLimit: 10,
    logger,
    ...options,
  });

afterEach(closeTestPdfRenderers);

/** The Chromium browser processes this test process started (their helpers are their children). */
const ourBrowsers = () =>
  allProcesses()
    .filter((p) => p.ppid === process.pid && p.command === 'chromium' && p.state !== 'Z')
    .map((p) => p.pid);

const isPdf = (body: Buffer) => body.subarray(0, 5).toString() === '%PDF-';

/** A render's PDF, or the error it failed with. */
const settle = (rendering: Promise<Buffer>) =>
  rendering.then(
    (body) => ({ pdf: isPdf(body) }),
    (err: unknown) => ({ error: err }),
  );

describe('the PDF renderer', () => {
  it('starts no browser until the first PDF, then prints every PDF with that one browser', async () => {
    const pdf = renderer();
    expect(ourBrowsers()).toEqual([]);

    expect(isPdf(await pdf.render(A_REPORT))).toBe(true);
    const browsers = ourBrowsers();
    for (let i = 0; i < 3; i += 1) expect(isPdf(await pdf.render(A_REPORT))).toBe(true);
    const together = await Promise.all(Array.from({ length: 6 }, () => pdf.render(A_REPORT)));

    expect(together.every(isPdf)).toBe(true);
    expect(browsers).toHaveLength(1);
    expect(ourBrowsers()).toEqual(browsers);
  });

  it('prints at most N documents at once; the others wait their turn and are printed too', async () => {
    const pdf = renderer({ concurrency: 2, queueLimit: 10 });
    await pdf.render(A_REPORT); // the browser is running: only printing is measured below
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, pdf.load().rendering)), 1);

    const renders = Array.from({ length: 8 }, () => pdf.render(A_REPORT));
    const waitingAtOnce = pdf.load().waiting;
    const bodies = await Promise.all(renders);
    clearInterval(sampler);

    expect(waitingAtOnce).toBe(6);
    expect(bodies.every(isPdf)).toBe(true);
    // Open pages counted by the browser itself (its contexts), not by the queue.
    expect(most).toBe(2);
    expect(pdf.load()).toEqual({ rendering: 0, waiting: 0 });
  });

  it('refuses at once the render beyond N printing and the queue: 503 PDF_BUSY with Retry-After', async () => {
    const pdf = renderer({ concurrency: 2, queueLimit: 1 });

    const results = await Promise.all(
      Array.from({ length: 4 }, () => settle(pdf.render(A_REPORT))),
    );

    expect(results.slice(0, 3)).toEqual([{ pdf: true }, { pdf: true }, { pdf: true }]);
    const refused = results[3] as { error: ServiceUnavailableError };
    expect(refused.error).toBeInstanceOf(ServiceUnavailableError);
    expect(refused.error).toMatchObject({ status: 503, code: 'PDF_BUSY', retryAfterSeconds: 5 });
  });

  it('refuses a render that waited longer than the queue allows, with PDF_BUSY', async () => {
    const pdf = renderer({ concurrency: 1, queueLimit: 5, queueWaitMs: 1 });

    // The first starts the browser (about a second): far longer than the second may wait.
    const [first, second] = await Promise.all([
      settle(pdf.render(A_REPORT)),
      settle(pdf.render(A_REPORT)),
    ]);

    expect(first).toEqual({ pdf: true });
    expect(second).toEqual({ error: expect.objectContaining({ code: 'PDF_BUSY' }) });
    expect(pdf.load().waiting).toBe(0);
  });

  it('stops a render that hangs with 503 PDF_TIMEOUT, frees its turn, and keeps the browser', async () => {
    const pdf = renderer({ concurrency: 1, renderTimeoutMs: 2000 });
    await pdf.render(A_REPORT);
    const browsers = ourBrowsers();

    const hung = await settle(pdf.render(A_HANGING_PAGE));

    expect(hung).toEqual({
      error: expect.objectContaining({ status: 503, code: 'PDF_TIMEOUT' }),
    });
    expect(pdf.load()).toEqual({ rendering: 0, waiting: 0 });
    expect(isPdf(await pdf.render(A_REPORT))).toBe(true);
    expect(ourBrowsers()).toEqual(browsers);
  });

  it('notices a browser that was killed between two PDFs, says so, and starts another', async () => {
    const log = memoryLog('warn');
    const pdf = renderer({ logger: log.logger });
    await pdf.render(A_REPORT);
    const [killed] = ourBrowsers();

    process.kill(killed!, 'SIGKILL');
    // The event itself: the renderer says it noticed.
    await log.waitFor(/PDF browser stopped/);

    expect(isPdf(await pdf.render(A_REPORT))).toBe(true);
    expect(ourBrowsers()).toEqual([expect.any(Number)]);
    expect(ourBrowsers()).not.toContain(killed);
  });

  it('replaces a browser killed just before a render, before anyone noticed, for that render', async () => {
    const pdf = renderer();
    await pdf.render(A_REPORT);
    const [killed] = ourBrowsers();

    process.kill(killed!, 'SIGKILL');
    const body = await pdf.render(A_REPORT);

    expect(isPdf(body)).toBe(true);
    expect(ourBrowsers()).toHaveLength(1);
    expect(ourBrowsers()).not.toContain(killed);
  });

  it('leaves no Chromium behind once closed', async () => {
    const pdf = renderer();
    await pdf.render(A_REPORT);

    await pdf.close();

    expect(ourBrowsers()).toEqual([]);
  });
});

describe('GET /reports/rounds/:roundId/report.pdf while every turn is taken', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.drop());

  it('answers a page with 503, Retry-After and what to do, and the print view still works', async () => {
    // Arrange: one turn and no queue, the turn held by a document that hangs.
    const pdf = renderer({ concurrency: 1, queueLimit: 0 });
    const app = buildTestApp(db.conn, { pdf: pdf.render });
    const coach = await apiSignup(app);
    const { roundId } = await anOpenRound(app, coach.token);
    const agent = await loggedInAgent(app, coach.email);
    const holding = settle(pdf.render(A_HANGING_PAGE));

    // Act
    const res = await agent.get(`/reports/rounds/${roundId}/report.pdf`);

    // Assert
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Temporarily unavailable');
    expect(res.text).toContain('Too many PDFs are being made right now');
    expect((await agent.get(`/reports/rounds/${roundId}/print`)).status).toBe(200);
    await pdf.close();
    expect(await holding).toEqual({ error: expect.any(Error) });
  });
});
