import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Express } from 'express';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/shared/pdf';
import { openCoachApp } from './api-client';

/** Debian's Chromium (installed by .ci/run); never a browser downloaded by a tool. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
}

/** Serves the app on a free loopback port, for a real browser. */
export async function serve(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Collects console errors and uncaught page errors, for "no console errors on any page". */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`${page.url()}: unexpected dialog "${dialog.message()}"`);
    void dialog.dismiss();
  });
  return problems;
}

/** Whether the page scrolls sideways (content wider than the viewport). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth',
  );
}

type Focused = {
  tag: string;
  type: string | null;
  name: string | null;
  text: string | null;
} | null;

/**
 * Answers every question of the page with the keyboard only: Tab from control to control,
 * Arrow keys inside a radio group (which selects), typing into text areas, Enter on the submit
 * button. Returns the number of Tab presses it took. Bounded, so a trap fails the test.
 */
export async function answerWithKeyboard(
  page: Page,
  options: { text: string; maxTabs?: number },
): Promise<number> {
  const seenGroups = new Set<string>();
  for (let tabs = 1; tabs <= (options.maxTabs ?? 600); tabs += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<Focused>(`(() => {
      const el = document.activeElement;
      if (!el) return null;
      return { tag: el.tagName, type: el.getAttribute('type'), name: el.getAttribute('name'), text: el.textContent };
    })()`);
    if (!focused) continue;
    if (
      focused.tag === 'INPUT' &&
      focused.type === 'radio' &&
      focused.name &&
      !seenGroups.has(focused.name)
    ) {
      seenGroups.add(focused.name);
      // The second option: shows the arrow keys work, and varies the answers.
      await page.keyboard.press('ArrowRight');
    } else if (focused.tag === 'TEXTAREA' || (focused.tag === 'INPUT' && focused.type === 'text')) {
      await page.keyboard.type(options.text);
    } else if (
      focused.tag === 'BUTTON' &&
      focused.type === 'submit' &&
      /Save my answers/.test(focused.text ?? '')
    ) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      return tabs;
    }
  }
  throw new Error('the submit button was not reached with the keyboard');
}

/** An axe-core finding, reduced to what a failed assertion needs to explain itself. */
export type AccessibilityViolation = Readonly<{
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}>;

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and returns the serious and
 * critical violations. axe's source is evaluated through the DevTools protocol, which the
 * page's Content-Security-Policy does not govern, so the page is tested with its real CSP.
 */
export async function seriousAccessibilityViolations(
  page: Page,
): Promise<AccessibilityViolation[]> {
  await page.evaluate(axe.source);
  // A string, not a function: this project compiles without the DOM library.
  const found = await page.evaluate<
    { rule: string; impact: string; help: string; targets: string[] }[]
  >(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact || 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`);
  const url = new URL(page.url());
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: url.pathname.replace(/\/r\/[^/]+/, '/r/<link>'), ...v }));
}

/** Logs in through the log-in form, as a person would, and waits for the dashboard. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#field-email', email);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForURL(/\/dashboard$/), page.click('form[action="/login"] button')]);
}

/**
 * What a browser test file starts with: a coach's app (see openCoachApp) served on a loopback
 * port, and Chromium. `close` ends all three, for afterAll.
 */
export async function openBrowserApp(options: Parameters<typeof openCoachApp>[0] = {}) {
  const opened = await openCoachApp(options);
  const server = await serve(opened.app);
  const browser = await launchChromium();
  return {
    ...opened,
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      await opened.db.drop();
    },
  };
}
