import {
  invitationMail,
  reminderMail,
  testInvitationMail,
} from '../../../src/features/invitations/invitation.mail';
import { InviteInput } from '../../../src/features/invitations/invitation.schemas';
import { splitList } from '../../../src/shared/http/forms';
import { retryDelayMs } from '../../../src/shared/mail/outbox';
import { classifySmtpFailure } from '../../../src/shared/mail/smtp';

const round = {
  title: 'Autumn check',
  teamName: 'Platform',
  questionnaire: { title: 'Operating maturity' },
  anonymity: 'anonymous' as const,
  access: 'link' as const,
  minGroupSize: 4,
  closesAt: new Date('2026-12-15T00:00:00Z'),
  linkToken: 'a7wjkfdnxt8r8a6neb3ve69x9jffm9kqmexzz7gy',
};

describe('splitList', () => {
  it('takes addresses one per line, or separated by commas, semicolons or spaces', () => {
    expect(
      splitList(' ana@example.org\nben@example.org, chris@example.org;dee@example.org  '),
    ).toEqual(['ana@example.org', 'ben@example.org', 'chris@example.org', 'dee@example.org']);
    expect(splitList(' \n , ')).toEqual([]);
  });
});

describe('InviteInput', () => {
  it('names the address that is not one, in words', () => {
    const parsed = InviteInput.safeParse({ emails: ['ana@example.org', 'ben at example'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      '“ben at example” is not an e-mail address.',
    ]);
  });
});

describe('the e-mails', () => {
  const link = 'https://teamlens.example.org/r/x?i=y';
  const coach = { name: 'Jo Coach', email: 'jo@example.org' };

  it('invite with the personal link, say how anonymous the round is, and until when', () => {
    const mail = invitationMail(round, link, coach);
    expect(mail.subject).toBe('Platform: Autumn check — your answers, please');
    expect(mail.text).toContain(`Answer here: ${link}\n`);
    expect(mail.text).toContain('no figure is shown for fewer than 4 people');
    expect(mail.text).toContain('Answers are taken until 2026-12-15.');
  });

  it('remind with the same link, and say so to who has answered already', () => {
    const mail = reminderMail({ ...round, anonymity: 'named', closesAt: null }, link, coach);
    expect(mail.subject).toBe('Reminder: Platform: Autumn check');
    expect(mail.text).toContain(`Answer here: ${link}\n`);
    expect(mail.text).toContain('your name is shown with your answers');
    expect(mail.text).not.toContain('Answers are taken until');
    expect(mail.text).toContain('If you have answered already, thank you');
  });

  it('name the coach who sends them, and send replies to that coach', () => {
    for (const mail of [invitationMail(round, link, coach), reminderMail(round, link, coach)]) {
      expect(mail.replyTo).toEqual({ name: 'Jo Coach', address: 'jo@example.org' });
      expect(mail.text).toContain('Reply to this e-mail: it goes to Jo Coach.');
      expect(mail.text).toMatch(/\nJo Coach, for Platform, through Teamlens$/);
    }
    expect(invitationMail(round, link, coach).text).toContain('Jo Coach invites you: Platform is');
  });

  it('test the invitation: the same e-mail after a note, marked in its subject', () => {
    const plain = 'https://teamlens.example.org/r/x';
    const real = invitationMail(round, plain, coach);
    const test = testInvitationMail(round, plain, coach);
    expect(test.subject).toBe(`[Test] ${real.subject}`);
    expect(test.replyTo).toEqual(real.replyTo);
    expect(test.text.startsWith('[Test] This is the invitation as each person invited')).toBe(true);
    expect(test.text.endsWith(`\n----\n\n${real.text}`)).toBe(true);
    expect(testInvitationMail({ ...round, access: 'invited' }, plain, coach).text).toContain(
      'the plain link starts no answer',
    );
  });
});

describe('classifySmtpFailure', () => {
  it('takes a 5xx reply to the recipient for a refusal (a bounce): not to be tried again', () => {
    const failure = classifySmtpFailure({
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 No such mailbox',
    });
    expect(failure).toMatchObject({ permanent: true });
    expect(failure.message).toBe('The mail server answered 550: 550 No such mailbox');
  });

  it('tries again after a 5xx to anything else: a wrong password is fixed, then mail goes out', () => {
    expect(
      classifySmtpFailure({ code: 'EAUTH', responseCode: 535, response: 'bad credentials' }),
    ).toMatchObject({ permanent: false });
  });

  it('takes a 4xx reply or no connection for passing: tried again', () => {
    expect(classifySmtpFailure({ responseCode: 451, response: 'try later' }).permanent).toBe(false);
    expect(classifySmtpFailure({ code: 'ECONNREFUSED' })).toMatchObject({
      permanent: false,
      message: 'The mail server could not be reached (ECONNREFUSED)',
    });
  });
});

describe('retryDelayMs', () => {
  it('waits 30 s, doubling, at most an hour', () => {
    expect([0, 1, 2, 3, 7, 12].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
    ]);
  });
});
