// Screenshots of pages as a person sees them, to check layouts by eye (desktop and phone width,
// screen and print emulation). Usage, with Teamlens running:
//   npx tsx scripts/screenshots.ts http://127.0.0.1:3000 /questionnaires /questionnaires/active-practice
// Report pages need a signed-in coach: set EMAIL and PASSWORD (for example those that
// `npm run demo` prints) and the script logs in through the form first.
//   EMAIL=… PASSWORD=… npx tsx scripts/screenshots.ts http://127.0.0.1:3000 /dashboard /reports/rounds/<id>
// Writes PNG files to screenshots/ (git-ignored). Uses Debian's Chromium, never a downloaded one.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../src/paths';
import { CHROMIUM_ARGS } from '../src/shared/pdf';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const [base, ...pages] = process.argv.slice(2);
  if (!base || pages.length === 0) throw new Error('usage: screenshots.ts BASE_URL PATH...');
  const outDir = path.join(ROOT, 'screenshots');
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    for (const [label, width] of [
      ['desktop', 1280],
      ['phone', 360],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      if (process.env.EMAIL && process.env.PASSWORD) {
        const login = await context.newPage();
        await login.goto(new URL('/login', base).toString());
        await login.fill('#field-email', process.env.EMAIL);
        await login.fill('#field-password', process.env.PASSWORD);
        await Promise.all([
          login.waitForURL(/\/dashboard$/),
          login.click('form[action="/login"] button'),
        ]);
        await login.close();
      }
      for (const page of pages) {
        for (const media of ['screen', 'print'] as const) {
          const tab = await context.newPage();
          await tab.emulateMedia({ media });
          await tab.goto(new URL(page, base).toString(), { waitUntil: 'load' });
          const name = `${page.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${label}-${media}.png`;
          await tab.screenshot({ path: path.join(outDir, name), fullPage: true });
          const overflow = await tab.evaluate(
            'document.documentElement.scrollWidth > document.documentElement.clientWidth',
          );
          process.stdout.write(`${name}${overflow ? '  (horizontal scrolling!)' : ''}\n`);
          await tab.close();
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
