import { access } from 'node:fs/promises';
import type * as PlaywrightCore from 'playwright-core';
import { ServiceUnavailableError } from './errors';
import type { Logger } from './logging';

/** Chromium's flags for every headless use here: PDFs, browser tests, screenshots. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type PaperFormat = 'A4' | 'Letter';

/**
 * A document to print: HTML plus its style sheets. It loads nothing over the network, so the
 * PDF needs neither a session nor a server URL.
 */
export type PdfInput = Readonly<{ html: string; styles: readonly string[]; format: PaperFormat }>;

/** Renders one document to a PDF. */
export type RenderPdf = (input: PdfInput) => Promise<Buffer>;

export type PdfRenderer = Readonly<{
  render: RenderPdf;
  /** Closes the browser; renders in flight fail. server.ts calls it at shutdown, tests after. */
  close: () => Promise<void>;
  /** What the browser holds now: documents being printed, and renders waiting for a turn. */
  load: () => { rendering: number; waiting: number };
}>;

/** How long a render may wait for its turn, and how long it may take once it has one. */
const QUEUE_WAIT_MS = 10_000;
const RENDER_TIMEOUT_MS = 30_000;
/** What a refused client is told to wait: about the time a queue's worth of PDFs takes. */
const RETRY_AFTER_SECONDS = 5;

const messages = {
  missing: (path: string) =>
    `PDF downloads need Chromium, which is not installed at ${path}. Install Debian's chromium package or set CHROMIUM_PATH; the print view works without it.`,
  busy: 'Too many PDFs are being made right now. Try again in a few seconds; the print view works meanwhile.',
  timeout:
    'Making this PDF took too long and was stopped. Try again; the print view works meanwhile.',
  stopped: 'The browser that makes PDFs stopped while making this one. Try again.',
} as const;

const unavailable = (code: string, message: string, cause?: unknown) =>
  new ServiceUnavailableError(code, message, RETRY_AFTER_SECONDS, { cause });

/**
 * Renders documents to PDF with one Chromium (never a browser downloaded by a tool), started at
 * the first PDF and kept running: a browser per document cost over a second of start-up and
 * about 170 MB each, and any signed-in viewer could start as many as they liked (README,
 * Benchmarks: 20 PDFs at once peaked at 3.3 GB that way, 0.75 GB this way). Each document
 * gets a browser context of its own (no cookies or storage shared), closed after it.
 *
 * At most `concurrency` documents are printed at once; up to `queueLimit` more wait for a turn,
 * each at most 10 s; beyond that a render is refused at once with 503 `PDF_BUSY` and
 * Retry-After. A render that takes longer than 30 s is stopped (503 `PDF_TIMEOUT`). A browser
 * that stops (crashed, killed) is replaced at the next render.
 */
export function createPdfRenderer(options: {
  chromiumPath: string;
  concurrency: number;
  queueLimit: number;
  logger: Logger;
  /** For tests; the defaults are the documented bounds. */
  queueWaitMs?: number;
  renderTimeoutMs?: number;
}): PdfRenderer {
  const turns = createTurns({
    concurrency: options.concurrency,
    queueLimit: options.queueLimit,
    waitMs: options.queueWaitMs ?? QUEUE_WAIT_MS,
    busy: () => unavailable('PDF_BUSY', messages.busy),
  });
  const timeoutMs = options.renderTimeoutMs ?? RENDER_TIMEOUT_MS;
  let browser: Promise<PlaywrightCore.Browser> | undefined;
  /** The browser once it has started, until it stops. */
  let running: PlaywrightCore.Browser | undefined;
  let closed = false;

  /** The running browser, or a new one (one launch shared by the renders that need it). */
  const currentBrowser = (): Promise<PlaywrightCore.Browser> => {
    if (closed) return Promise.reject(new Error('The PDF renderer is closed'));
    if (browser) return browser;
    const launching = launchChromium(options.chromiumPath, timeoutMs);
    browser = launching;
    launching.then(
      (started) => {
        running = started;
        options.logger.info('PDF browser started');
        started.on('disconnected', () => {
          if (running === started) running = undefined;
          if (browser === launching) browser = undefined;
          if (!closed) options.logger.warn('PDF browser stopped; the next PDF starts another');
        });
      },
      () => {
        if (browser === launching) browser = undefined;
      },
    );
    return launching;
  };

  /** A fresh context; a browser that died since the last PDF is replaced first. */
  const newContext = async (): Promise<PlaywrightCore.BrowserContext> => {
    const used = await currentBrowser();
    try {
      return await used.newContext();
    } catch (err) {
      // CASE: it stopped between two PDFs, and the news arrived only now.
      if (used.isConnected()) throw err;
      return (await currentBrowser()).newContext();
    }
  };

  const renderInTime = async (input: PdfInput): Promise<Buffer> => {
    let context: PlaywrightCore.BrowserContext | undefined;
    let closing: Promise<void> | undefined;
    // Closing the context ends whatever its page is stuck in (a script, a layout) at once. A
    // second close() would return before the context is gone: both wait for the first.
    const closeContext = () => (closing ??= context?.close().catch(() => undefined));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // CASE: no page yet after all this time: the browser is stuck; a new one will start.
      if (context) void closeContext();
      else void running?.close().catch(() => undefined);
    }, timeoutMs);
    try {
      context = await newContext();
      if (timedOut) throw new Error('the render ran out of time before its page opened');
      return await printOnPage(await context.newPage(), input);
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      if (timedOut) throw unavailable('PDF_TIMEOUT', messages.timeout, err);
      if (context && !context.browser()?.isConnected()) {
        throw unavailable('PDF_UNAVAILABLE', messages.stopped, err);
      }
      throw err;
    } finally {
      clearTimeout(timer);
      await closeContext();
    }
  };

  return {
    async render(input) {
      await turns.take();
      try {
        return await renderInTime(input);
      } finally {
        turns.give();
      }
    },
    async close() {
      closed = true;
      const open = browser;
      browser = undefined;
      await open?.then(
        (b) => b.close(),
        () => undefined,
      );
    },
    load: () => ({ rendering: running?.contexts().length ?? 0, waiting: turns.waiting() }),
  };
}

/**
 * Starts Chromium, or says how to install it when it is not there. (Exported, with
 * printOnPage, for the PDF benchmark's baseline: a browser per document, as before.)
 */
export async function launchChromium(
  chromiumPath: string,
  timeoutMs: number,
): Promise<PlaywrightCore.Browser> {
  try {
    await access(chromiumPath);
  } catch {
    throw new ServiceUnavailableError('PDF_UNAVAILABLE', messages.missing(chromiumPath), 3600);
  }
  // Loaded on the first PDF only: playwright-core alone adds about 70 MB to the process.
  // (require, not import(): Jest runs CommonJS without support for dynamic import.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof PlaywrightCore;
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: timeoutMs });
}

/** Prints a document on a fresh page: nothing is fetched, and print media styles apply. */
export async function printOnPage(page: PlaywrightCore.Page, input: PdfInput): Promise<Buffer> {
  await page.route('**/*', (route) => route.abort());
  await page.setContent(input.html, { waitUntil: 'load' });
  for (const content of input.styles) await page.addStyleTag({ content });
  await page.emulateMedia({ media: 'print' });
  return page.pdf({
    format: input.format,
    printBackground: true,
    margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
  });
}

/**
 * Turns for at most `concurrency` holders at once. Up to `queueLimit` more wait, in order, each
 * at most `waitMs`; anyone beyond that, or waiting longer, gets `busy()` instead.
 */
function createTurns(options: {
  concurrency: number;
  queueLimit: number;
  waitMs: number;
  busy: () => Error;
}) {
  let holders = 0;
  const queue: (() => void)[] = [];
  return {
    take(): Promise<void> {
      if (holders < options.concurrency) {
        holders += 1;
        return Promise.resolve();
      }
      if (queue.length >= options.queueLimit) return Promise.reject(options.busy());
      return new Promise((resolve, reject) => {
        const start = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(start), 1);
          reject(options.busy());
        }, options.waitMs);
        queue.push(start);
      });
    },
    /** Hands the turn to the first in the queue, if any. */
    give(): void {
      const next = queue.shift();
      if (next) next();
      else holders -= 1;
    },
    waiting: () => queue.length,
  };
}
