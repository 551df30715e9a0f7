import type { Browser } from 'playwright-core';
import type { Express } from 'express';
import { buildTestApp } from '../support/app';
import { PASSWORD, anEmail } from '../support/auth';
import { anOpenRound, apiSignup } from '../support/api-client';
import {
  answerWithKeyboard,
  launchChromium,
  logIn,
  scrollsSideways,
  serve,
  watchConsole,
} from '../support/browser';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from '../support/smtp';

/**
 * The coach invites five people in a real Chromium; a real SMTP server on loopback receives
 * the mail; three follow their links and answer; the coach sees "3 of 5" and reminds the other
 * two, and only them.
 */
let db: TestDatabase;
let smtp: SmtpServer;
let app: Express;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let coach: Awaited<ReturnType<typeof apiSignup>>;

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer();
  app = buildTestApp(db.conn, {
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Teamlens <teamlens@example.org>' },
  });
  server = await serve(app);
  browser = await launchChromium();
  coach = await apiSignup(app);
});
afterAll(async () => {
  await browser.close();
  await server.close();
  await smtp.stop();
  await db.drop();
});

/** The personal link of a message, on the server under test. */
const linkOf = (mail: ReceivedMail) => {
  const url = new URL(/Answer here: (\S+)/.exec(mail.text)![1]!);
  return `${server.url}${url.pathname}${url.search}`;
};

it('five invited, three answer through their links, one reminder reaches exactly the other two', async () => {
  const { roundId } = await anOpenRound(app, coach.token, { teamName: 'Platform' });
  const team = Array.from({ length: 5 }, () => anEmail('member'));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await logIn(page, server.url, coach.email, PASSWORD);

  // The coach goes from the round page to its invitations and pastes five addresses.
  await page.goto(`${server.url}/rounds/${roundId}`);
  await Promise.all([page.waitForURL(/\/invitations$/), page.click('text=Invite by e-mail')]);
  await page.fill('#field-emails', `${team.slice(0, 3).join('\n')}\n${team.slice(3).join(', ')}`);
  await Promise.all([page.waitForURL(/\/invitations$/), page.click('text=Send invitations')]);
  expect(await page.textContent('.flash')).toContain('5 invitations on the way.');

  const invitations = await smtp.waitForMessages(5);
  expect(invitations.map((m) => m.to).sort()).toEqual([...team].sort());

  // Three open their personal links in browsers of their own and answer.
  for (const mail of invitations.slice(0, 3)) {
    const own = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const member = await own.newPage();
    await member.goto(linkOf(mail));
    await answerWithKeyboard(member, { text: 'Ship it' });
    expect(await member.textContent('h1')).toBe('Thank you');
    await own.close();
  }

  await page.reload();
  expect(await page.textContent('body')).toContain(
    '3 of 5 invited have answered through their invitation.',
  );
  // The round counts against the five invited.
  await page.goto(`${server.url}/rounds/${roundId}`);
  expect(await page.textContent('#response-count')).toContain('3 of 5 answered (60%)');
  await page.goto(`${server.url}/rounds/${roundId}/invitations`);
  // An anonymous round: nothing on the page says who answered.
  for (const email of team) expect(await page.textContent('body')).not.toContain(email);

  await Promise.all([
    page.waitForURL(/\/invitations$/),
    page.click('text=Remind the 2 who have not answered'),
  ]);
  expect(await page.textContent('.flash')).toContain('2 reminders on the way.');
  const all = await smtp.waitForMessages(7);
  expect(
    all
      .slice(5)
      .map((m) => m.to)
      .sort(),
  ).toEqual(
    invitations
      .slice(3)
      .map((m) => m.to)
      .sort(),
  );
  expect(all.slice(5).every((m) => m.subject.startsWith('Reminder: Platform'))).toBe(true);
  // Nobody left to remind: no button, and a sentence saying why.
  expect(await page.locator(`form[action$="/reminders"]`).count()).toBe(0);
  expect(await page.textContent('#all-reminded')).toBe(
    'All 2 who have not answered had their reminder: each address gets one at most.',
  );
  expect(problems).toEqual([]);
  await context.close();
});

it('shows the e-mail before any is sent, sends it to the coach as a test, and warns while links point at localhost', async () => {
  const { roundId } = await anOpenRound(app, coach.token, { teamName: 'Atlas' });
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await logIn(page, server.url, coach.email, PASSWORD);

  await page.goto(`${server.url}/rounds/${roundId}/invitations`);

  // This app has no BASE_URL: its links point at localhost, and the page says what to do.
  const warning = page.locator('#unreachable-links');
  expect(await warning.isVisible()).toBe(true);
  expect(await warning.textContent()).toContain('BASE_URL=http://<this machine’s name>:3000');
  // The e-mail as each person reads it, whole, in a phone's width.
  expect(await page.textContent('#preview-subject')).toBe(
    'Atlas: Round under test — your answers, please',
  );
  const preview = page.locator('#preview-text');
  expect(await preview.isVisible()).toBe(true);
  expect(await preview.textContent()).toContain('Answer here: ‹their personal link›\n');
  expect(await preview.textContent()).toContain('Api User invites you: Atlas is taking stock');
  expect(await scrollsSideways(page)).toBe(false);

  const before = smtp.received.length;
  await Promise.all([
    page.waitForURL(/\/invitations$/),
    page.click(`text=Send a test invitation to myself (${coach.email})`),
  ]);
  expect(await page.textContent('.flash')).toContain(
    `A test invitation is on the way to ${coach.email}`,
  );
  const [test] = (await smtp.waitForMessages(before + 1)).slice(before);
  expect(test).toMatchObject({
    to: coach.email,
    subject: '[Test] Atlas: Round under test — your answers, please',
  });
  expect(await page.textContent('body')).toContain('Nobody has been invited by e-mail yet.');
  expect(problems).toEqual([]);
  await context.close();
});
