import { randomBytes } from 'node:crypto';
import express, { type Express } from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { buildTestApp } from '../support/app';
import { anEmail } from '../support/auth';
import { type Api, apiFor, apiSignup } from '../support/api-client';
import { answerWithKeyboard, launchChromium, serve, watchConsole } from '../support/browser';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from '../support/smtp';
import { countStoredResponses } from '../support/responses';

/**
 * What a teammate could do to a respondent with nothing but a real browser (issue #20): plant
 * an edit key they know through a form on a site of their own, or answer through someone
 * else's personal invitation. Chromium decides what it sends (Sec-Fetch-Site, SameSite
 * cookies), so these run in Chromium, not supertest. Another site is the same loopback server
 * reached as `localhost`: a different host, so a different site from 127.0.0.1.
 */
let db: TestDatabase;
let smtp: SmtpServer;
let app: Express;
let server: Awaited<ReturnType<typeof serve>>;
/** The teammate's site, and the page it serves (set by the test that needs it). */
let elsewhere: Awaited<ReturnType<typeof serve>>;
let elsewherePage = '';
let browser: Browser;
let coach: Awaited<ReturnType<typeof apiSignup>>;
let api: Api;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer();
  app = buildTestApp(db.conn, {
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Teamlens <teamlens@example.org>' },
  });
  server = await serve(app);
  const site = express();
  site.get('/', (_req, res) => {
    res.type('html').send(elsewherePage);
  });
  elsewhere = await serve(site);
  browser = await launchChromium();
  coach = await apiSignup(app);
  api = apiFor(app, coach.token);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser.close();
  await elsewhere.close();
  await server.close();
  await smtp.stop();
  await db.drop();
});

/** A browser of its own (cookies and all), closed after the test. */
async function aBrowser(): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  return { page, context, problems: watchConsole(page) };
}

const responseCount = (roundId: string) => countStoredResponses(db.conn, roundId);

/** Reads back the answer of an edit key through the API, as whoever holds the key could. */
const readBack = (link: string, key: string) =>
  request(app).get(`/api/v1/r/${link}/response`).set('X-Edit-Key', key);

/** The value of the round's respondent key cookie in a browser. */
async function keyCookie(context: BrowserContext, roundId: string): Promise<string | undefined> {
  // The cookie's path is /r/: asked for the site's root, the browser would not send it.
  const cookies = await context.cookies(`${server.url}/r/`);
  return cookies.find((c) => c.name === `tlr_${roundId}`)?.value;
}

/**
 * Picks the first option of every question and types into every text box, without sending
 * the form. A string, not a function: this project compiles without the DOM library.
 */
const fillEveryQuestion = (page: Page) =>
  page.evaluate(`(() => {
    const form = document.querySelector('form.questionnaire');
    for (const radio of form.querySelectorAll('input[type=radio]')) {
      if (!form.querySelector('input[type=radio][name="' + radio.name + '"]:checked')) radio.checked = true;
    }
    for (const box of form.querySelectorAll('textarea, input[type=text]')) box.value = 'Fine';
  })()`);

/** Every field of the page's questionnaire form, as it would be sent. */
const fieldsOf = (page: Page) =>
  page.evaluate<[string, string][]>(
    `[...new FormData(document.querySelector('form.questionnaire'))].map(([k, v]) => [k, String(v)])`,
  );

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A page that sends a form to `action` as soon as it is opened. */
const autoSubmitting = (action: string, fields: readonly [string, string][]) => `<!doctype html>
<title>Cute cats</title>
<form method="post" action="${escapeHtml(action)}">
${fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n')}
</form>
<script>document.forms[0].submit();</script>`;

describe('a form on another site', () => {
  it('cannot plant a known edit key in a respondent’s browser to read their answers', async () => {
    const { link, roundId } = await api.openRound();
    const roundUrl = `${server.url}/r/${link}`;

    // The teammate fills the questionnaire in their own browser, to copy a complete answer,
    // and picks a key of their own.
    const teammate = await aBrowser();
    await teammate.page.goto(roundUrl);
    await fillEveryQuestion(teammate.page);
    const planted = randomBytes(32).toString('base64url');
    const fields = (await fieldsOf(teammate.page)).map(([name, value]): [string, string] => [
      name,
      name === 'respondentKey' ? planted : value,
    ]);
    expect(fields.find(([name]) => name === 'respondentKey')).toEqual(['respondentKey', planted]);
    elsewherePage = autoSubmitting(roundUrl, fields);

    // The victim answers the round, then opens the teammate's page in the same browser.
    const victim = await aBrowser();
    await victim.page.goto(roundUrl);
    await answerWithKeyboard(victim.page, { text: 'Mine' });
    expect(await victim.page.textContent('h1')).toBe('Thank you');
    const ownKey = await keyCookie(victim.context, roundId);
    expect(ownKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const sent = victim.page.waitForResponse(
      (r) => r.url() === roundUrl && r.request().method() === 'POST',
    );
    await victim.page.goto(elsewhere.url.replace('127.0.0.1', 'localhost'), {
      waitUntil: 'commit',
    });
    const refused = await sent;
    // Back on this server, wherever the form led (the refusal, or a thank-you page if taken).
    await victim.page.waitForURL((url) => url.origin === server.url);

    // Refused: nothing stored, the victim's key kept, the planted key leads to nothing.
    expect(refused.status()).toBe(403);
    expect(await refused.request().headerValue('sec-fetch-site')).toBe('cross-site');
    expect(await victim.page.textContent('h1')).toBe('Your answer was not saved');
    expect(await responseCount(roundId)).toBe(1);
    expect(await keyCookie(victim.context, roundId)).toBe(ownKey);
    expect((await readBack(link, planted)).status).toBe(404);

    // The victim changes their answer: still theirs alone.
    await victim.page.goto(roundUrl);
    expect(await victim.page.textContent('.flash')).toMatch(/You answered on/);
    await answerWithKeyboard(victim.page, { text: ' (edited)' });
    expect(victim.page.url()).toBe(`${roundUrl}/thanks`);
    expect(await responseCount(roundId)).toBe(1);
    expect((await readBack(link, planted)).status).toBe(404);
    const own = await readBack(link, ownKey!);
    expect(own.status).toBe(200);
    // (The keyboard types at the start of a filled text box: "(edited)Mine".)
    expect(JSON.stringify(own.body)).toContain('(edited)Mine');
    // Chromium reports the refused form in the console; nothing else went wrong.
    expect(teammate.problems).toEqual([]);
    expect(victim.problems).toEqual([
      `${roundUrl}: Failed to load resource: the server responded with a status of 403 (Forbidden)`,
    ]);
  });
});

describe('a round by invitation', () => {
  /** The personal link of a message, on the server under test. */
  const linkOf = (mail: ReceivedMail) => {
    const url = new URL(/Answer here: (\S+)/.exec(mail.text)![1]!);
    return `${server.url}${url.pathname}${url.search}`;
  };
  /** Invites one new address through the API; its personal link, on the server under test. */
  async function invitedLink(roundId: string): Promise<string> {
    const email = anEmail('member');
    const before = smtp.received.length;
    const invited = await api.post(`/rounds/${roundId}/invitations`, { emails: [email] });
    expect(invited.status).toBe(201);
    const mail = (await smtp.waitForMessages(before + 1)).find((m) => m.to === email)!;
    return linkOf(mail);
  }

  it('takes one answer per personal link, changed only from the browser that gave it', async () => {
    const { link, roundId } = await api.openRound({ access: 'invited' });
    const personal = await invitedLink(roundId);
    const roundUrl = `${server.url}/r/${link}`;

    // A answers through the personal link.
    const a = await aBrowser();
    await a.page.goto(personal);
    await answerWithKeyboard(a.page, { text: 'First' });
    expect(await a.page.textContent('h1')).toBe('Thank you');
    expect(await responseCount(roundId)).toBe(1);

    // B, with the same link in another browser, is told it was used.
    const b = await aBrowser();
    const used = await b.page.goto(personal);
    expect(used?.status()).toBe(409);
    expect(await b.page.textContent('h1')).toBe('This invitation has already been used to answer');
    expect(await b.page.locator('form.questionnaire').count()).toBe(0);

    // A, through the round's plain link, sees its answer and changes it.
    await a.page.goto(roundUrl);
    expect(await a.page.textContent('.flash')).toMatch(/You answered on/);
    await answerWithKeyboard(a.page, { text: ' (changed)' });
    expect(a.page.url()).toBe(`${roundUrl}/thanks`);
    expect(await responseCount(roundId)).toBe(1);
    const stored = await readBack(link, (await keyCookie(a.context, roundId))!);
    expect(JSON.stringify(stored.body)).toContain('(changed)First');

    // C, with only the plain link, cannot start an answer.
    const c = await aBrowser();
    const plain = await c.page.goto(roundUrl);
    expect(plain?.status()).toBe(403);
    expect(await c.page.textContent('h1')).toBe('This round is by invitation');
    expect(await c.page.locator('form.questionnaire').count()).toBe(0);
    expect(await responseCount(roundId)).toBe(1);
  });

  it('stores exactly one answer when two browsers send the same personal link at once', async () => {
    const { roundId } = await api.openRound({ access: 'invited' });
    const personal = await invitedLink(roundId);
    const both = [await aBrowser(), await aBrowser()];
    for (const { page } of both) {
      await page.goto(personal);
      await fillEveryQuestion(page);
    }

    const outcomes = await Promise.all(
      both.map(async ({ page }) => {
        const [response] = await Promise.all([
          page.waitForNavigation(),
          page.click('button:has-text("Save my answers")'),
        ]);
        return { status: response?.status(), heading: await page.textContent('h1') };
      }),
    );

    expect(outcomes.map((o) => `${o.status} ${o.heading}`).sort()).toEqual([
      '200 Thank you',
      '409 This invitation has already been used to answer',
    ]);
    expect(await responseCount(roundId)).toBe(1);
  });
});
