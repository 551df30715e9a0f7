import { access } from 'node:fs/promises';
import type * as PlaywrightCore from 'playwright-core';
import { ServiceUnavailableError } from './errors';

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
 * Renders an HTML document to PDF with Chromium (never a browser downloaded by a tool). The
 * page is given as HTML plus its style sheets: it loads nothing over the network, so the PDF
 * needs neither a session nor a server URL. A browser is started per document: PDFs are rare
 * and on demand, and nothing stays running between them.
 */
export async function htmlToPdf(input: {
  chromiumPath: string;
  html: string;
  styles: readonly string[];
  format: PaperFormat;
}): Promise<Buffer> {
  try {
    await access(input.chromiumPath);
  } catch {
    throw new ServiceUnavailableError(
      'PDF_UNAVAILABLE',
      `PDF downloads need Chromium, which is not installed at ${input.chromiumPath}. Install Debian's chromium package or set CHROMIUM_PATH; the print view works without it.`,
      3600,
    );
  }
  // Loaded on the first PDF only: playwright-core alone adds about 70 MB to the process.
  // (require, not import(): Jest runs CommonJS without support for dynamic import.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof PlaywrightCore;
  const browser = await chromium.launch({
    executablePath: input.chromiumPath,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(input.html, { waitUntil: 'load' });
    for (const content of input.styles) await page.addStyleTag({ content });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: input.format,
      printBackground: true,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
