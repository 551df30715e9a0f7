import type request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../support/app';
import {
  type Agent,
  anEmail,
  csrfOf,
  loggedInAgent,
  signedInAgent,
  submitForm,
} from '../../support/auth';
import { type Api, anOpenRound, apiFor, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { elementById, unescapeHtml } from '../../support/html';
import { waitFor } from '../../support/ports';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from '../../support/smtp';

/**
 * What the invitation e-mails say and who they come from, against a real SMTP server process:
 * the coach named and replied to, the test invitation, the preview on the page.
 */
let db: TestDatabase;
let smtp: SmtpServer;
let app: Express;
let coach: Awaited<ReturnType<typeof apiSignup>>;
let api: Api;
let agent: Agent;
const ORIGIN = 'https://teamlens.example.org';

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer();
  app = buildTestApp(db.conn, {
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Teamlens <teamlens@example.org>',
      BASE_URL: ORIGIN,
      AUTH_RATE_LIMIT_PER_IP: '1000',
    },
  });
});
beforeEach(async () => {
  coach = await apiSignup(app);
  api = apiFor(app, coach.token);
  agent = await loggedInAgent(app, coach.email);
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

const invitationsPage = (roundId: string, as = agent) => as.get(`/rounds/${roundId}/invitations`);
const overview = async (roundId: string) =>
  (await api.get(`/rounds/${roundId}/invitations`)).body as Record<string, unknown>;
/** The next `n` messages the server receives, from now on. */
async function nextMail(n: number, send: () => Promise<unknown>): Promise<ReceivedMail[]> {
  const before = smtp.received.length;
  await send();
  return (await smtp.waitForMessages(before + n)).slice(before);
}
const stored = (roundId: string) => db.conn.collection('mail_outbox').find({ group: roundId });

/** A coach of the same workspace, invited by the first one and signed in. */
async function secondCoach(): Promise<{ agent: Agent; email: string }> {
  const invite = await submitForm(agent, '/workspace', '/workspace/invitations', {
    role: 'coach',
  });
  const link = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(invite.text)![1]!;
  const member = await signedInAgent(app, { name: 'Sam Second' });
  await submitForm(member.agent, `/invitations/${link}`, `/invitations/${link}`, {});
  return member;
}

describe('an invitation and its reminder', () => {
  it('name the coach who sends each, and carry that coach as Reply-To; kept only until sent', async () => {
    const { roundId } = await api.openRound({ teamName: 'Platform' });
    const invitee = anEmail('member');

    const [invitation] = await nextMail(1, () =>
      api.post(`/rounds/${roundId}/invitations`, { emails: [invitee] }),
    );
    const other = await secondCoach();
    const page = await invitationsPage(roundId, other.agent);
    const [reminder] = await nextMail(1, () =>
      other.agent
        .post(`/rounds/${roundId}/reminders`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) }),
    );

    expect(invitation).toMatchObject({
      to: invitee,
      from: '"Teamlens" <teamlens@example.org>',
      replyTo: `"Api User" <${coach.email}>`,
    });
    expect(invitation!.text).toContain('Api User invites you: Platform is taking stock');
    expect(invitation!.text).toContain('Reply to this e-mail: it goes to Api User.');
    expect(reminder).toMatchObject({ to: invitee, replyTo: `"Sam Second" <${other.email}>` });
    expect(reminder!.text).toContain('Sam Second, for Platform, through Teamlens');
    // Sent (the outbox marks it once the server took it): neither the text nor the coach's
    // address stays.
    await waitFor(async () => (await stored(roundId).toArray()).every((d) => d.state === 'sent'), {
      timeoutMs: 5000,
      what: 'the outbox to mark both sent',
    });
    const messages = await stored(roundId).toArray();
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m).toMatchObject({ state: 'sent', text: '' });
      expect(m).not.toHaveProperty('replyTo');
    }
  });
});

describe('the invitations page', () => {
  it('previews the e-mail exactly as it is sent, with a placeholder for the personal link', async () => {
    const { roundId } = await api.openRound({ teamName: 'Atlas' });
    const page = await invitationsPage(roundId);
    const subject = unescapeHtml(/<dd id="preview-subject">([^<]*)<\/dd>/.exec(page.text)![1]!);
    const text = unescapeHtml(
      /<pre[^>]*id="preview-text">([^<]*)<\/pre>/.exec(elementById(page.text, 'preview-text'))![1]!,
    );
    const invitee = anEmail('member');

    const [sent] = await nextMail(1, () =>
      agent
        .post(`/rounds/${roundId}/invitations`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), emails: invitee }),
    );

    expect(subject).toBe(sent!.subject);
    const link = /Answer here: (\S+)/.exec(sent!.text)![1]!;
    expect(link).toMatch(new RegExp(`^${ORIGIN}/r/[^?]+\\?i=`));
    // The message as received ends with the line break a mail body ends with.
    expect(`${text}\n`).toBe(sent!.text.replace(link, '‹their personal link›'));
    expect(page.text).toContain(`Api User &lt;${coach.email}&gt;`);
  });

  it('sends a test invitation to the coach alone: the same e-mail, marked, with no personal link, counting nowhere', async () => {
    const { roundId, link } = await api.openRound({ teamName: 'Atlas' });
    const before = await overview(roundId);
    const page = await invitationsPage(roundId);
    expect(page.text).toContain(`Send a test invitation to myself (${coach.email})`);
    const send = () =>
      agent
        .post(`/rounds/${roundId}/invitations/test`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) });

    let posted: request.Response | undefined;
    const [test] = await nextMail(1, async () => (posted = await send()));
    const again = await send();

    expect(posted!.status).toBe(303);
    expect(test).toMatchObject({
      to: coach.email,
      subject: '[Test] Atlas: Round under test — your answers, please',
      replyTo: `"Api User" <${coach.email}>`,
    });
    expect(test!.text).toMatch(/^\[Test\] This is the invitation as each person invited/);
    expect(test!.text).toContain(`Answer here: ${ORIGIN}/r/${link}\n`);
    expect(test!.text).not.toContain('?i=');
    // Nothing invited, nothing counted, nothing expected of the round.
    expect(await overview(roundId)).toEqual(before);
    expect(await db.conn.collection('round_invitations').countDocuments({ roundId })).toBe(0);
    expect(await stored(roundId).toArray()).toEqual([]);
    const round = await api.get(`/rounds/${roundId}`);
    expect(round.body.expected).toBeNull();
    // A second click within the minute sends no second one, and says so.
    expect(again.status).toBe(303);
    expect((await invitationsPage(roundId)).text).toContain('less than a minute ago');
    expect(
      await db.conn.collection('mail_outbox').countDocuments({ group: `test:${roundId}` }),
    ).toBe(1);
  });

  it('hides the reminder once everyone who has not answered was reminded, and says why', async () => {
    const { roundId } = await api.openRound();
    const remind = async () => {
      const page = await invitationsPage(roundId);
      return agent
        .post(`/rounds/${roundId}/reminders`)
        .type('form')
        .send({ _csrf: csrfOf(page.text) });
    };
    const invite = (emails: string[]) => api.post(`/rounds/${roundId}/invitations`, { emails });
    await nextMail(2, () => invite([anEmail('member'), anEmail('member')]));
    expect((await invitationsPage(roundId)).text).toContain('Remind the 2 who have not answered');

    await nextMail(2, remind);
    const reminded = await invitationsPage(roundId);
    await nextMail(1, () => invite([anEmail('late')]));
    const late = await invitationsPage(roundId);

    expect(reminded.text).not.toContain(`action="/rounds/${roundId}/reminders"`);
    expect(reminded.text).toContain(
      'All 2 who have not answered had their reminder: each address gets one at most.',
    );
    expect((await overview(roundId)).remindable).toBe(1);
    expect(late.text).toContain('Remind the 1 not reminded yet (of 3 who have not answered)');
    expect(late.text).not.toContain('had their reminder');
  });
});

describe('links that point at this machine only', () => {
  const warning = 'Nobody else can open the links handed out here yet.';

  it.each([
    ['BASE_URL unset', {}, 'http://localhost:3000'],
    ['BASE_URL on loopback', { BASE_URL: 'http://127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
  ])('%s: the round and invitations pages warn, and say what to do', async (_, env, origin) => {
    const local = buildTestApp(db.conn, {
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Teamlens <teamlens@example.org>', ...env },
    });
    const owner = await apiSignup(local);
    const { roundId } = await anOpenRound(local, owner.token);
    const as = await loggedInAgent(local, owner.email);

    for (const path of [`/rounds/${roundId}`, `/rounds/${roundId}/invitations`]) {
      const page = unescapeHtml((await as.get(path)).text);
      expect(page).toContain(warning);
      expect(page).toContain(`They start with <code>${origin}</code>`);
      expect(page).toContain('<code>BASE_URL=https://teamlens.example.org</code>');
      expect(page).toContain(
        `<code>BASE_URL=http://<this machine’s name>:${new URL(origin).port}</code>`,
      );
    }
  });

  it('BASE_URL set to an address the team reaches: no warning', async () => {
    const { roundId } = await api.openRound();
    for (const path of [`/rounds/${roundId}`, `/rounds/${roundId}/invitations`])
      expect((await agent.get(path)).text).not.toContain(warning);
  });
});
