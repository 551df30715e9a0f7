import request from 'supertest';
import type { Express } from 'express';
import { createLifecycle, type Lifecycle } from '../../../src/shared/lifecycle';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { anEmail, bearer, csrfOf, loggedInAgent } from '../../support/auth';
import { type Api, anOpenRound, apiFor, apiSignup } from '../../support/api-client';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { memoryLog, type MemoryLog } from '../../support/log';
import { aDcfAnswer, DCF_ASPECTS } from '../../support/factories';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from '../../support/smtp';
import { countStoredResponses } from '../../support/responses';

/**
 * Invitations by e-mail against a real SMTP server process on loopback: what it receives is
 * what a team member would, and the links in it are followed as they would be.
 */
let db: TestDatabase;
let smtp: SmtpServer;
let app: Express;
let now: Date;
let coach: Awaited<ReturnType<typeof apiSignup>>;
let api: Api;
const BOUNCING = 'nobody@bounce.example.com';

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer({ reject: [BOUNCING] });
  app = mailingApp(smtp.url);
});
beforeEach(async () => {
  now = FIXED_NOW;
  coach = await apiSignup(app);
  api = apiFor(app, coach.token);
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

/** The log of each app `mailingApp` built: its outbox says there when it settled a message. */
const logs = new Map<Express, MemoryLog>();
const SETTLED = /^mail (sent|not sent)/;

function mailingApp(smtpUrl: string, on: TestDatabase = db, lifecycle?: Lifecycle): Express {
  const log = memoryLog();
  const built = buildTestApp(on.conn, {
    ...(lifecycle ? { lifecycle } : {}),
    clock: () => now,
    logger: log.logger,
    env: {
      SMTP_URL: smtpUrl,
      MAIL_FROM: 'Teamlens <teamlens@example.org>',
      BASE_URL: 'https://teamlens.example.org',
    },
  });
  logs.set(built, log);
  return built;
}

const addresses = (n: number) => Array.from({ length: n }, () => anEmail('member'));
const invite = (roundId: string, emails: unknown, on = app) =>
  apiFor(on, coach.token).post(`/rounds/${roundId}/invitations`, { emails });
const overview = async (roundId: string, on = app) =>
  (await apiFor(on, coach.token).get(`/rounds/${roundId}/invitations`)).body as {
    invited: number;
    answered: number;
    invitations: { queued: number; sent: number; failed: number };
    reminders: { queued: number; sent: number; failed: number };
    problems: { email: string; kind: string; state: string; error: string }[];
    addresses: { email: string; answered: boolean; invitation: string; reminder: string }[] | null;
  };

/** The personal link in a message, as a path on this app. */
function linkIn(mail: ReceivedMail): { path: string; token: string; invitation: string } {
  const url = new URL(/Answer here: (\S+)/.exec(mail.text)![1]!);
  expect(url.origin).toBe('https://teamlens.example.org');
  return {
    path: `${url.pathname}${url.search}`,
    token: url.pathname.split('/').pop()!,
    invitation: url.searchParams.get('i')!,
  };
}

/**
 * `read` again each time the app's outbox settles a message (sends it, or fails it for now or
 * for good), until `done` holds: for what the app does after it answered, in the background.
 */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, on = app): Promise<T> {
  const log = logs.get(on)!;
  for (;;) {
    const settled = log.count(SETTLED);
    const value = await read();
    if (done(value)) return value;
    await log.waitFor(SETTLED, settled + 1);
  }
}

/** Messages received from `from` on, to these addresses. */
const mailTo = (emails: readonly string[], from: number) =>
  smtp.received.slice(from).filter((m) => emails.includes(m.to));

/** Answers through a personal link's page, as a browser without JavaScript does. */
async function answerOnPage(link: { path: string; token: string }, text: string) {
  const agent = request.agent(app);
  const page = await agent.get(link.path);
  expect(page.status).toBe(200);
  const key = /name="respondentKey" value="([^"]+)"/.exec(page.text)![1]!;
  const invitation = /name="invitation" value="([^"]+)"/.exec(page.text)![1]!;
  const posted = await agent
    .post(`/r/${link.token}`)
    .type('form')
    .send({
      respondentKey: key,
      invitation,
      'effort-in-one-sentence.text': text,
      ...Object.fromEntries(DCF_ASPECTS.map((aspect) => [`effort-aspects.${aspect}`, 'float'])),
    });
  expect(posted.status).toBe(303);
}

describe('inviting five addresses to an anonymous round', () => {
  it('mails five personal links; three answer; one reminder reaches exactly the other two, once', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { teamName: 'Platform' });
    const team = addresses(5);
    const before = smtp.received.length;

    const invited = await invite(roundId, team);
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({ invited: 5, alreadyInvited: 0 });
    await smtp.waitForMessages(before + 5);
    const invitations = mailTo(team, before);
    expect(invitations.map((m) => m.to).sort()).toEqual([...team].sort());
    expect(invitations[0]).toMatchObject({
      from: '"Teamlens" <teamlens@example.org>',
      subject: 'Platform: Round under test — your answers, please',
    });
    expect(invitations[0]!.text).toContain('Your answers are anonymous');
    // Personal: five different links to the same round.
    expect(new Set(invitations.map((m) => linkIn(m).invitation)).size).toBe(5);

    // Three answer: two on the page, one through the API.
    const [first, second, third] = invitations.map(linkIn);
    await answerOnPage(first!, 'Ship onboarding');
    await answerOnPage(second!, 'Ship billing');
    const viaApi = await request(app)
      .post(`/api/v1/r/${third!.token}`)
      .set('X-Invitation', third!.invitation)
      .send(aDcfAnswer('Ship search'));
    expect(viaApi.status).toBe(201);

    const standing = await until(
      () => overview(roundId),
      (o) => o.invitations.sent === 5,
    );
    expect(standing).toMatchObject({
      invited: 5,
      answered: 3,
      invitations: { queued: 0, sent: 5, failed: 0 },
      problems: [],
      // Anonymous: counts, never who.
      addresses: null,
    });
    // The round now expects the five invited, whatever the team's size says.
    const round = await api.get(`/rounds/${roundId}`);
    expect(round.body).toMatchObject({ responseCount: 3, expected: 5, responseRate: 0.6 });
    const coachAgent = await loggedInAgent(app, coach.email);
    expect((await coachAgent.get(`/rounds/${roundId}`)).text).toContain('3 of 5 answered (60%)');
    const page = await coachAgent.get(`/rounds/${roundId}/invitations`);
    expect(page.text).toContain('3 of 5 invited have answered through their invitation.');
    expect(page.text).toContain('Remind the 2 who have not answered');
    for (const email of team) expect(page.text).not.toContain(email);

    const reminded = await api.post(`/rounds/${roundId}/reminders`);
    expect(reminded.body).toEqual({ reminded: 2, alreadyReminded: 0 });
    await smtp.waitForMessages(before + 7);
    const reminders = smtp.received.slice(before + 5);
    const waiting = invitations.slice(3).map((m) => m.to);
    expect(reminders.map((m) => m.to).sort()).toEqual([...waiting].sort());
    expect(reminders[0]!.subject).toBe('Reminder: Platform: Round under test');
    // The reminder carries the same personal link.
    expect(linkIn(reminders[0]!).invitation).toBe(
      linkIn(invitations.find((m) => m.to === reminders[0]!.to)!).invitation,
    );

    // Asked again: nobody gets a second reminder. A later invitation is sent after anything
    // queued before it, so it arriving next shows no reminder went out in between.
    const again = await api.post(`/rounds/${roundId}/reminders`);
    expect(again.body).toEqual({ reminded: 0, alreadyReminded: 2 });
    const late = anEmail('late');
    await invite(roundId, [late]);
    await smtp.waitForMessages(before + 8);
    expect(smtp.received.slice(before + 7).map((m) => m.to)).toEqual([late]);
  });

  it('invites an address once, however it is typed, and keeps no text of sent mail', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const email = anEmail('member');
    const before = smtp.received.length;
    expect((await invite(roundId, [email, email.toUpperCase()])).body).toEqual({
      invited: 1,
      alreadyInvited: 0,
    });
    expect((await invite(roundId, [email])).body).toEqual({ invited: 0, alreadyInvited: 1 });
    await smtp.waitForMessages(before + 1);
    // Received by the server, then marked sent by the outbox.
    const standing = await until(
      () => overview(roundId),
      (o) => o.invitations.sent === 1,
    );
    expect(standing.invitations).toEqual({ queued: 0, sent: 1, failed: 0 });
    const stored = await db.conn.collection('mail_outbox').find({ group: roundId }).toArray();
    expect(stored).toEqual([expect.objectContaining({ to: email, state: 'sent', text: '' })]);
    const invitation = await db.conn.collection('round_invitations').findOne({ roundId });
    expect(Object.keys(invitation!).sort()).toEqual(
      ['_id', 'createdAt', 'email', 'emailLower', 'roundId', 'used', 'workspaceId'].sort(),
    );
  });
});

describe('internationalised addresses (RFC 6531)', () => {
  it('are invited, and reach the real SMTP server as typed, through SMTPUTF8 where needed', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const unique = anEmail('x').split('@')[0]!;
    const emails = [`chloé.${unique}@team.example`, `ana.${unique}@bücher.example`];
    const before = smtp.received.length;
    const res = await invite(roundId, emails);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ invited: 2, alreadyInvited: 0 });

    await smtp.waitForMessages(before + 2);
    const received = smtp.received.slice(before);
    expect(received.map((m) => m.envelopeTo).sort()).toEqual(emails.map((e) => [e]).sort());
    // A UTF-8 local part needs SMTPUTF8; an IDN domain alone goes as its xn-- form (which
    // smtp-server shows decoded) and needs none.
    const byAddress = new Map(received.map((m) => [m.envelopeTo[0], m.smtpUtf8]));
    expect(byAddress.get(emails[0])).toBe(true);
    expect(byAddress.get(emails[1])).toBe(false);
    expect(received.map((m) => m.to).sort()).toEqual([...emails].sort());
    const standing = await until(
      () => overview(roundId),
      (o) => o.invitations.sent === 2,
    );
    expect(standing.invitations).toEqual({ queued: 0, sent: 2, failed: 0 });
  });

  it('still refuse what could add a header or a second address, storing nothing', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    for (const bad of [
      'chloé@team.example\r\nBcc: eve@example.org',
      'chloé@team.example, eve@example.org',
      'Chloé <chloé@team.example>',
      'chloé team.example',
    ]) {
      const res = await invite(roundId, [bad]);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await db.conn.collection('round_invitations').countDocuments({ roundId })).toBe(0);
  });
});

describe("the team's kept addresses", () => {
  it('are kept with the team, and invited from the round in one go, those not invited yet', async () => {
    const { roundId, teamId } = await anOpenRound(app, coach.token);
    const kept = addresses(3);
    const patched = await api.patch(`/teams/${teamId}`, {
      members: [...kept, kept[0]!.toUpperCase()],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.members).toEqual(kept);
    const before = smtp.received.length;
    await invite(roundId, [kept[0]]);
    await smtp.waitForMessages(before + 1);

    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(`/rounds/${roundId}/invitations`);
    expect(page.text).toContain('list has 3 addresses; 2 not invited yet.');
    const hidden = /name="emails" value="([^"]+)"/.exec(page.text)![1]!;
    expect(hidden.split(', ').sort()).toEqual(kept.slice(1).sort());
    const posted = await agent
      .post(`/rounds/${roundId}/invitations`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), emails: hidden });
    expect(posted.status).toBe(303);
    await smtp.waitForMessages(before + 3);
    expect(
      mailTo(kept, before)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...kept].sort());
    expect((await agent.get(`/rounds/${roundId}/invitations`)).text).toContain('has been invited.');
  });

  it('refuses an address that is not one, by name, and keeps the list as it was', async () => {
    const { teamId } = await anOpenRound(app, coach.token);
    const res = await api.patch(`/teams/${teamId}`, { members: ['a@example.com', 'nobody'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'members.1', message: '“nobody” is not an e-mail address.' },
    ]);
    const team = await api.get(`/teams/${teamId}`);
    expect(team.body.members).toEqual([]);
  });
});

describe('a round from before rounds kept their team’s name', () => {
  it('is invited with the team’s name all the same', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { teamName: 'Legacy crew' });
    await db.conn
      .collection('rounds')
      .updateOne({ _id: roundId as never }, { $unset: { teamName: 1 } });
    const email = anEmail('member');
    const before = smtp.received.length;
    await invite(roundId, [email]);
    await smtp.waitForMessages(before + 1);
    const [mail] = mailTo([email], before);
    expect(mail!.subject).toBe('Legacy crew: Round under test — your answers, please');
  });
});

describe('a named round', () => {
  it('shows each address with whether it answered', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { anonymity: 'named' });
    const team = addresses(2);
    const before = smtp.received.length;
    await invite(roundId, team);
    await smtp.waitForMessages(before + 2);
    await until(
      () => overview(roundId),
      (o) => o.invitations.sent === 2,
    );
    const mail = mailTo(team, before).find((m) => m.to === team[0])!;
    const link = linkIn(mail);
    expect(mail.text).toContain('This round is named');
    expect(
      (
        await request(app)
          .post(`/api/v1/r/${link.token}`)
          .set('X-Invitation', link.invitation)
          .send({ ...aDcfAnswer('Named'), name: 'Robin' })
      ).status,
    ).toBe(201);

    expect((await overview(roundId)).addresses).toEqual([
      { email: team[0], answered: true, invitation: 'sent', reminder: null },
      { email: team[1], answered: false, invitation: 'sent', reminder: null },
    ]);
  });
});

describe('when mail cannot be delivered', () => {
  it('shows a refused address to the coach, and does not try it again', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const fine = anEmail('member');
    const before = smtp.received.length;
    await invite(roundId, [BOUNCING, fine]);
    await smtp.waitForMessages(before + 1);

    // Received by the server, then marked sent by the outbox, in the background.
    const standing = await until(
      () => overview(roundId),
      (o) => o.invitations.sent === 1 && o.invitations.failed === 1,
    );
    expect(standing.invitations).toEqual({ queued: 0, sent: 1, failed: 1 });
    expect(standing.problems).toEqual([
      {
        email: BOUNCING,
        kind: 'invitation',
        state: 'failed',
        error: expect.stringContaining('550'),
      },
    ]);
  });

  it('retries through an SMTP outage, shows it meanwhile, and delivers once the server is back', async () => {
    // A database of its own: no other app's outbox may send this test's mail.
    const own = await openTestDatabase();
    const down = await startSmtpServer();
    const port = down.port;
    await down.stop();
    const outage = mailingApp(`smtp://127.0.0.1:${port}`, own);
    coach = await apiSignup(outage);
    const { roundId } = await anOpenRound(outage, coach.token);
    const email = anEmail('member');
    try {
      expect((await invite(roundId, [email], outage)).status).toBe(201);
      const standing = await until(
        () => overview(roundId, outage),
        (o) => o.problems.length > 0,
        outage,
      );
      expect(standing.invitations.queued).toBe(1);
      expect(standing.problems).toEqual([
        {
          email,
          kind: 'invitation',
          state: 'queued',
          error: expect.stringContaining('could not be reached'),
        },
      ]);

      const back = await startSmtpServer({ port });
      try {
        // Past the first retry's wait; the next message wakes the outbox, which sends all due.
        now = new Date(FIXED_NOW.getTime() + 31_000);
        const other = anEmail('member');
        await invite(roundId, [other], outage);
        const received = await back.waitForMessages(2);
        expect(received.map((m) => m.to).sort()).toEqual([email, other].sort());
        const delivered = await until(
          () => overview(roundId, outage),
          (o) => o.invitations.sent === 2,
          outage,
        );
        expect(delivered.invitations).toEqual({
          queued: 0,
          sent: 2,
          failed: 0,
        });
      } finally {
        await back.stop();
      }
    } finally {
      await own.drop();
    }
  });
});

describe('an anonymous round whose reminders cannot be delivered', () => {
  it('counts the reminders’ problems and names no address: a reminder would say who has not answered', async () => {
    const own = await openTestDatabase();
    const down = await startSmtpServer();
    await down.stop();
    const outage = mailingApp(`smtp://127.0.0.1:${down.port}`, own);
    coach = await apiSignup(outage);
    const { roundId } = await anOpenRound(outage, coach.token);
    const email = anEmail('member');
    try {
      await invite(roundId, [email], outage);
      await apiFor(outage, coach.token).post(`/rounds/${roundId}/reminders`);
      const outbox = own.conn.collection('mail_outbox');
      await until(
        () => outbox.countDocuments({ lastError: { $ne: null } }),
        (n) => n === 2,
        outage,
      );

      const standing = await overview(roundId, outage);
      expect(standing.reminders.queued).toBe(1);
      expect(standing.problems.map((p) => p.kind)).toEqual(['invitation']);
    } finally {
      await own.drop();
    }
  });
});

describe('an outdated personal link', () => {
  it('still lets the member answer on the page, as through the round’s link', async () => {
    const { roundId, link } = await anOpenRound(app, coach.token);
    const agent = request.agent(app);
    const page = await agent.get(`/r/${link}?i=abcdefghijkl.AAAAAAAAAAAAAAAAAAAAAA`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="invitation"');
    const key = /name="respondentKey" value="([^"]+)"/.exec(page.text)![1]!;
    const posted = await agent
      .post(`/r/${link}`)
      .type('form')
      .send({
        respondentKey: key,
        invitation: 'abcdefghijkl.AAAAAAAAAAAAAAAAAAAAAA',
        'effort-in-one-sentence.text': 'Still here',
        ...Object.fromEntries(DCF_ASPECTS.map((aspect) => [`effort-aspects.${aspect}`, 'float'])),
      });
    expect(posted.status).toBe(303);
    expect(await countStoredResponses(db.conn, roundId)).toBe(1);
  });
});

describe('refused, with nothing stored', () => {
  const counts = async () => ({
    invitations: await db.conn.collection('round_invitations').countDocuments(),
    outbox: await db.conn.collection('mail_outbox').countDocuments(),
    responses: await countStoredResponses(db.conn),
  });

  it.each([
    ['no list', {}],
    ['a string, not a list', { emails: 'a@example.com' }],
    ['an empty list', { emails: [] }],
    ['an address that is not one', { emails: ['a@example.com', 'not an address'] }],
    ['a header injection', { emails: ['a@example.com\r\nBcc: all@example.com'] }],
    ['an operator', { emails: { $gt: '' } }],
    ['an unknown field', { emails: ['a@example.com'], bcc: ['b@example.com'] }],
    ['too many', { emails: Array.from({ length: 201 }, (_, i) => `m${i}@example.com`) }],
  ])('%s: 400', async (_case, body) => {
    const { roundId } = await anOpenRound(app, coach.token);
    const before = await counts();
    const res = await api.post(`/rounds/${roundId}/invitations`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/Invalid input|expected|ZodError|stack/);
    expect(await counts()).toEqual(before);
  });

  it('the page form: 400, the addresses kept, the bad one named by the field’s label', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const agent = await loggedInAgent(app, coach.email);
    const page = await agent.get(`/rounds/${roundId}/invitations`);
    const before = await counts();
    const res = await agent
      .post(`/rounds/${roundId}/invitations`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), emails: 'ana@example.org\nnot an address' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('E-mail addresses: “not” is not an e-mail address.');
    expect(res.text).toContain('ana@example.org\nnot an address</textarea>');
    expect(await counts()).toEqual(before);
  });

  it('a forged invitation on an answer: 400, and no answer stored', async () => {
    const { roundId, link } = await anOpenRound(app, coach.token);
    await invite(roundId, [anEmail('member')]);
    const before = await counts();
    for (const forged of ['x', 'abcdefghijkl.AAAAAAAAAAAAAAAAAAAAAA', '$gt']) {
      const res = await request(app)
        .post(`/api/v1/r/${link}`)
        .set('X-Invitation', forged)
        .send(aDcfAnswer('Forged'));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'This invitation link is not valid. Use the link from your e-mail, or the round’s link.',
      );
    }
    expect(await counts()).toEqual(before);
  });

  it('without a mail server: 409 MAIL_OFF, and the page says why', async () => {
    const noMail = buildTestApp(db.conn);
    const owner = await apiSignup(noMail);
    const { roundId } = await anOpenRound(noMail, owner.token);
    const res = await request(noMail)
      .post(`/api/v1/rounds/${roundId}/invitations`)
      .set(bearer(owner.token))
      .send({ emails: ['a@example.com'] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('MAIL_OFF');
    const page = await (
      await loggedInAgent(noMail, owner.email)
    ).get(`/rounds/${roundId}/invitations`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Invitations by e-mail are off');
  });

  it('a closed round: 409, nothing sent', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    await api.post(`/rounds/${roundId}/close`);
    const before = await counts();
    const res = await invite(roundId, ['a@example.com']);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_NOT_OPEN');
    expect(await counts()).toEqual(before);
  });

  it('another workspace: 404', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const outsider = await apiSignup(app);
    const res = await request(app)
      .post(`/api/v1/rounds/${roundId}/invitations`)
      .set(bearer(outsider.token))
      .send({ emails: ['a@example.com'] });
    expect(res.status).toBe(404);
  });
});

/** Invites `n` addresses to the round and returns their personal links, once mailed. */
async function invitedLinks(roundId: string, n: number) {
  const emails = addresses(n);
  const before = smtp.received.length;
  expect((await invite(roundId, emails)).status).toBe(201);
  await smtp.waitForMessages(before + n);
  return mailTo(emails, before).map(linkIn);
}

const responsesOf = (roundId: string) => countStoredResponses(db.conn, roundId);
const submitThrough = (link: { token: string; invitation?: string }, text: string) => {
  const req = request(app).post(`/api/v1/r/${link.token}`);
  if (link.invitation) void req.set('X-Invitation', link.invitation);
  return req.send(aDcfAnswer(text));
};

describe('a round by invitation (access "invited")', () => {
  it('refuses the plain link on the page (403) and in the API (INVITATION_REQUIRED), storing nothing', async () => {
    const { roundId, link } = await anOpenRound(app, coach.token, { access: 'invited' });

    const page = await request(app).get(`/r/${link}`);
    const viaApi = await submitThrough({ token: link }, 'Without an invitation');

    expect(page.status).toBe(403);
    expect(page.text).toContain('This round is by invitation');
    expect(page.text).not.toContain('name="respondentKey"');
    expect(viaApi.status).toBe(403);
    expect(viaApi.body.error.code).toBe('INVITATION_REQUIRED');
    expect(await responsesOf(roundId)).toBe(0);
  });

  it('lets a personal link answer once; opened elsewhere it says how to change the answer, and the first browser still can', async () => {
    // Arrange
    const { roundId, link } = await anOpenRound(app, coach.token, { access: 'invited' });
    const [personal] = await invitedLinks(roundId, 1);
    const first = request.agent(app);
    const form = await first.get(personal!.path);
    const key = /name="respondentKey" value="([^"]+)"/.exec(form.text)![1]!;
    const answer = (text: string) => ({
      respondentKey: key,
      invitation: personal!.invitation,
      'effort-in-one-sentence.text': text,
      ...Object.fromEntries(DCF_ASPECTS.map((aspect) => [`effort-aspects.${aspect}`, 'float'])),
    });
    expect((await first.post(`/r/${link}`).type('form').send(answer('First'))).status).toBe(303);

    // Act: the same link in another browser, on the page and in the API.
    const elsewhere = await request(app).get(personal!.path);
    const again = await submitThrough(personal!, 'Second');

    // Assert
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.text).toContain('This invitation has already been used to answer');
    expect(elsewhere.text).toContain('open this link in the browser you answered in');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVITATION_USED');
    // The browser that answered sees its answer through either link, and changes it.
    const back = await first.get(`/r/${link}`);
    expect(back.status).toBe(200);
    expect(back.text).toContain('First</textarea>');
    expect((await first.post(`/r/${link}`).type('form').send(answer('Changed'))).status).toBe(303);
    expect(await responsesOf(roundId)).toBe(1);
    expect((await overview(roundId)).answered).toBe(1);
  });

  it('gives an invitation to exactly one of two answers sent at once', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { access: 'invited' });
    const [personal] = await invitedLinks(roundId, 1);

    const results = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((text) => submitThrough(personal!, text)),
    );

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await responsesOf(roundId)).toBe(1);
  });

  it('takes a double click on the page (the same form sent twice at once) as one answer', async () => {
    const { roundId, link } = await anOpenRound(app, coach.token, { access: 'invited' });
    const [personal] = await invitedLinks(roundId, 1);
    const agent = request.agent(app);
    const page = await agent.get(personal!.path);
    const form = {
      respondentKey: /name="respondentKey" value="([^"]+)"/.exec(page.text)![1]!,
      invitation: personal!.invitation,
      'effort-in-one-sentence.text': 'Once',
      ...Object.fromEntries(DCF_ASPECTS.map((aspect) => [`effort-aspects.${aspect}`, 'float'])),
    };

    const [a, b] = await Promise.all([
      agent.post(`/r/${link}`).type('form').send(form),
      agent.post(`/r/${link}`).type('form').send(form),
    ]);

    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await responsesOf(roundId)).toBe(1);
  });

  it('lets an answer given through an invitation be revised with its edit key alone', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { access: 'invited' });
    const [personal] = await invitedLinks(roundId, 1);
    const { editKey } = (await submitThrough(personal!, 'First')).body as { editKey: string };

    const revised = await request(app)
      .put(`/api/v1/r/${personal!.token}`)
      .set('X-Edit-Key', editKey)
      .send(aDcfAnswer('Revised'));
    const resent = await request(app)
      .post(`/api/v1/r/${personal!.token}`)
      .set('X-Edit-Key', editKey)
      .send(aDcfAnswer('Resent'));

    expect([revised.status, resent.status]).toEqual([200, 200]);
    expect(await responsesOf(roundId)).toBe(1);
  });

  it('is refused where invitations by e-mail are off (409 MAIL_OFF), and not offered on the form', async () => {
    const own = buildTestApp(db.conn);
    const owner = await apiSignup(own);
    const team = await request(own).post('/api/v1/teams').set(bearer(owner.token)).send({
      name: 'No mail',
    });

    const res = await request(own)
      .post('/api/v1/rounds')
      .set(bearer(owner.token))
      .send({
        teamId: team.body.id,
        questionnaire: { slug: 'drivers-constraints-floats' },
        title: 'Closed',
        access: 'invited',
      });
    const form = await (await loggedInAgent(own, owner.email)).get('/rounds/new');

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('MAIL_OFF');
    expect(form.text).not.toContain('value="invited"');
    expect(form.text).toContain('Rounds by invitation only need invitations by e-mail');
  });

  it('is created from the form, and its round page says the plain link starts no answer', async () => {
    const agent = await loggedInAgent(app, coach.email);
    const team = await api.post('/teams', {
      name: 'Closed crew',
    });
    const form = await agent.get('/rounds/new');
    expect(form.text).toContain('value="invited"');

    const created = await agent
      .post('/rounds/new')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        teamId: team.body.id,
        questionnaire: 'drivers-constraints-floats',
        title: 'By invitation',
        anonymity: 'anonymous',
        access: 'invited',
        minGroupSize: '3',
      });
    expect(created.status).toBe(303);
    const page = await agent.get(created.headers.location!);

    expect(page.text).toContain('By invitation — only a personal link');
    expect(page.text).toContain('this link alone starts no answer');
    expect(page.text).not.toContain('qr.svg');
    const viaApi = await api.get(created.headers.location!);
    expect(viaApi.body.access).toBe('invited');
  });
});

describe('a round by link, through a personal link used before', () => {
  it('says so above the form, takes the second answer, and still counts one invitee', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const [personal] = await invitedLinks(roundId, 1);
    expect((await submitThrough(personal!, 'First')).status).toBe(201);

    const page = await request(app).get(personal!.path);
    const second = await submitThrough(personal!, 'Second');

    expect(page.status).toBe(200);
    expect(page.text).toContain('This link has already been used to answer');
    expect(page.text).not.toContain('name="invitation"');
    expect(second.status).toBe(201);
    expect(await responsesOf(roundId)).toBe(2);
    expect((await overview(roundId)).answered).toBe(1);
  });
});

describe('when an invitation was used, in the database', () => {
  it('is not written with the answer in anonymous rounds: marks wait, count meanwhile, and are written at shutdown', async () => {
    // Arrange: an app with its own lifecycle, to stop it as server.ts does.
    const lifecycle = createLifecycle();
    const own = mailingApp(smtp.url, db, lifecycle);
    const { roundId } = await anOpenRound(own, coach.token);
    const emails = addresses(3);
    const before = smtp.received.length;
    await invite(roundId, emails, own);
    await smtp.waitForMessages(before + 3);
    const [a, b] = mailTo(emails, before).map(linkIn);
    const stored = () =>
      db.conn.collection('round_invitations').countDocuments({ roundId, used: true });

    // Act
    for (const link of [a!, b!]) {
      const res = await request(own)
        .post(`/api/v1/r/${link.token}`)
        .set('X-Invitation', link.invitation)
        .send(aDcfAnswer('Answer'));
      expect(res.status).toBe(201);
    }

    // Assert: nothing written yet, but counted, and not reminded.
    expect(await stored()).toBe(0);
    expect((await overview(roundId, own)).answered).toBe(2);
    const reminded = await request(own)
      .post(`/api/v1/rounds/${roundId}/reminders`)
      .set(bearer(coach.token));
    expect(reminded.body).toEqual({ reminded: 1, alreadyReminded: 0 });
    await lifecycle.runStopTasks();
    expect(await stored()).toBe(2);
  });

  it('is written at once in named rounds, which show who answered anyway', async () => {
    const { roundId } = await anOpenRound(app, coach.token, { anonymity: 'named' });
    const [personal] = await invitedLinks(roundId, 1);

    await request(app)
      .post(`/api/v1/r/${personal!.token}`)
      .set('X-Invitation', personal!.invitation)
      .send({ ...aDcfAnswer('Named'), name: 'Robin' });

    expect(
      await db.conn.collection('round_invitations').countDocuments({ roundId, used: true }),
    ).toBe(1);
  });
});

describe('an anonymous round’s reminders, once sent', () => {
  it('keep no address and no invitation id in the outbox, only their count', async () => {
    const { roundId } = await anOpenRound(app, coach.token);
    const links = await invitedLinks(roundId, 2);
    const before = smtp.received.length;

    await api.post(`/rounds/${roundId}/reminders`);
    await smtp.waitForMessages(before + 2);
    const standing = await until(
      () => overview(roundId),
      (o) => o.reminders.sent === 2,
    );

    expect(standing.reminders).toEqual({ queued: 0, sent: 2, failed: 0 });
    const reminders = await db.conn
      .collection('mail_outbox')
      .find({ group: roundId, key: { $regex: '^reminder:' } })
      .toArray();
    expect(reminders.map((r) => String(r.to))).toEqual(['', '']);
    const ids = links.map((l) => l.invitation.split('.')[0]!);
    for (const r of reminders) for (const id of ids) expect(String(r.key)).not.toContain(id);
    // Asked again, nobody gets a second one all the same.
    const again = await api.post(`/rounds/${roundId}/reminders`);
    expect(again.body).toEqual({ reminded: 0, alreadyReminded: 2 });
  });
});
