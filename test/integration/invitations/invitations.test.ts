import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp, FIXED_NOW } from '../../support/app';
import { anEmail, anOpenRound, apiSignup, bearer, csrfOf, loggedInAgent } from '../../support/auth';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { aDcfAnswer, DCF_ASPECTS } from '../../support/factories';
import { startSmtpServer, type ReceivedMail, type SmtpServer } from '../../support/smtp';

/**
 * Invitations by e-mail against a real SMTP server process on loopback: what it receives is
 * what a team member would, and the links in it are followed as they would be.
 */
let db: TestDatabase;
let smtp: SmtpServer;
let app: Express;
let now: Date;
let coach: Awaited<ReturnType<typeof apiSignup>>;
const BOUNCING = 'nobody@bounce.example.com';

beforeAll(async () => {
  db = await openTestDatabase();
  smtp = await startSmtpServer({ reject: [BOUNCING] });
  app = mailingApp(smtp.url);
});
beforeEach(async () => {
  now = FIXED_NOW;
  coach = await apiSignup(app);
});
afterAll(async () => {
  await smtp.stop();
  await db.drop();
});

function mailingApp(smtpUrl: string, on: TestDatabase = db): Express {
  return buildTestApp(on.conn, {
    clock: () => now,
    env: {
      SMTP_URL: smtpUrl,
      MAIL_FROM: 'Teamlens <teamlens@example.org>',
      BASE_URL: 'https://teamlens.example.org',
    },
  });
}

const addresses = (n: number) => Array.from({ length: n }, () => anEmail('member'));
const invite = (roundId: string, emails: unknown, on = app) =>
  request(on)
    .post(`/api/v1/rounds/${roundId}/invitations`)
    .set(bearer(coach.token))
    .send({ emails });
const overview = async (roundId: string, on = app) =>
  (await request(on).get(`/api/v1/rounds/${roundId}/invitations`).set(bearer(coach.token)))
    .body as {
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
 * `read` again until `done` holds, for what the app does after it answered (the outbox sends in
 * the background): bounded, 5 s at most.
 */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
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
    const api = await request(app)
      .post(`/api/v1/r/${third!.token}`)
      .set('X-Invitation', third!.invitation)
      .send(aDcfAnswer('Ship search'));
    expect(api.status).toBe(201);

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
    const round = await request(app).get(`/api/v1/rounds/${roundId}`).set(bearer(coach.token));
    expect(round.body).toMatchObject({ responseCount: 3, expected: 5, responseRate: 0.6 });
    const coachAgent = await loggedInAgent(app, coach.email);
    expect((await coachAgent.get(`/rounds/${roundId}`)).text).toContain('3 of 5 answered (60%)');
    const page = await coachAgent.get(`/rounds/${roundId}/invitations`);
    expect(page.text).toContain('3 of 5 invited have answered through their invitation.');
    expect(page.text).toContain('Remind the 2 who have not answered');
    for (const email of team) expect(page.text).not.toContain(email);

    const reminded = await request(app)
      .post(`/api/v1/rounds/${roundId}/reminders`)
      .set(bearer(coach.token));
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
    const again = await request(app)
      .post(`/api/v1/rounds/${roundId}/reminders`)
      .set(bearer(coach.token));
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

describe("the team's kept addresses", () => {
  it('are kept with the team, and invited from the round in one go, those not invited yet', async () => {
    const { roundId, teamId } = await anOpenRound(app, coach.token);
    const kept = addresses(3);
    const patched = await request(app)
      .patch(`/api/v1/teams/${teamId}`)
      .set(bearer(coach.token))
      .send({ members: [...kept, kept[0]!.toUpperCase()] });
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
    const res = await request(app)
      .patch(`/api/v1/teams/${teamId}`)
      .set(bearer(coach.token))
      .send({ members: ['a@example.com', 'nobody'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: 'members.1', message: '“nobody” is not an e-mail address.' },
    ]);
    const team = await request(app).get(`/api/v1/teams/${teamId}`).set(bearer(coach.token));
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

    const standing = await overview(roundId);
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
      await request(outage).post(`/api/v1/rounds/${roundId}/reminders`).set(bearer(coach.token));
      const outbox = own.conn.collection('mail_outbox');
      await until(
        () => outbox.countDocuments({ lastError: { $ne: null } }),
        (n) => n === 2,
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
    expect(await db.conn.collection('responses').countDocuments({ roundId })).toBe(1);
  });
});

describe('refused, with nothing stored', () => {
  const counts = async () => ({
    invitations: await db.conn.collection('round_invitations').countDocuments(),
    outbox: await db.conn.collection('mail_outbox').countDocuments(),
    responses: await db.conn.collection('responses').countDocuments(),
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
    const res = await request(app)
      .post(`/api/v1/rounds/${roundId}/invitations`)
      .set(bearer(coach.token))
      .send(body);
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
    await request(app).post(`/api/v1/rounds/${roundId}/close`).set(bearer(coach.token));
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
