/** What a round's e-mails say: the round as the invitee needs it, in plain words. */
export type RoundForMail = Readonly<{
  title: string;
  teamName: string | null;
  questionnaire: { title: string };
  anonymity: 'anonymous' | 'named';
  access: 'link' | 'invited';
  minGroupSize: number;
  closesAt: Date | null;
  linkToken: string;
}>;

/** The coach who sends a message: named in it, and where replies go (Reply-To). */
export type MailCoach = Readonly<{ name: string; email: string }>;

/** Where the invitations page's preview shows each person's own link. */
export const PERSONAL_LINK_PLACEHOLDER = '‹their personal link›';

function body(round: RoundForMail, link: string, opening: string, coach: MailCoach): string {
  const team = round.teamName ?? 'Your team';
  return [
    'Hello,',
    '',
    opening,
    '',
    `Answer here: ${link}`,
    '',
    round.anonymity === 'anonymous'
      ? `Your answers are anonymous: nobody sees who answered what, and no figure is shown for fewer than ${round.minGroupSize} people.`
      : 'This round is named: your name is shown with your answers.',
    ...(round.closesAt
      ? [`Answers are taken until ${round.closesAt.toISOString().slice(0, 10)}.`]
      : []),
    'This link is yours: please do not forward it.',
    '',
    `Questions? Reply to this e-mail: it goes to ${coach.name}.`,
    '',
    `${coach.name}, for ${team}, through Teamlens`,
  ].join('\n');
}

/** Replies go to the coach, not to MAIL_FROM (often a no-reply address). */
const replyTo = (coach: MailCoach) => ({ name: coach.name, address: coach.email });

export function invitationMail(round: RoundForMail, link: string, coach: MailCoach) {
  const team = round.teamName ?? 'Your team';
  return {
    subject: `${team}: ${round.title} — your answers, please`,
    text: body(
      round,
      link,
      `${coach.name} invites you: ${team} is taking stock with “${round.questionnaire.title}” (${round.title}), and your answers count.`,
      coach,
    ),
    replyTo: replyTo(coach),
  };
}

/**
 * The invitation exactly as each person gets it, sent to the coach alone, marked as a test.
 * `link` is the round's plain link: a personal one would need an invitation, which would then
 * be counted as invited.
 */
export function testInvitationMail(round: RoundForMail, link: string, coach: MailCoach) {
  const mail = invitationMail(round, link, coach);
  return {
    ...mail,
    subject: `[Test] ${mail.subject}`,
    text: [
      '[Test] This is the invitation as each person invited receives it, sent to you alone.',
      `Its link is the round’s plain link, not a personal one: nobody was invited, nothing is counted.${
        round.access === 'invited'
          ? ' In this round by invitation, the plain link starts no answer.'
          : ' An answer given through it counts as any answer through the round’s link.'
      }`,
      '',
      '----',
      '',
      mail.text,
    ].join('\n'),
  };
}

export function reminderMail(round: RoundForMail, link: string, coach: MailCoach) {
  const team = round.teamName ?? 'Your team';
  return {
    subject: `Reminder: ${team}: ${round.title}`,
    text: body(
      round,
      link,
      `There is still time to answer “${round.questionnaire.title}” (${round.title}) for ${team}. If you have answered already, thank you: please ignore this.`,
      coach,
    ),
    replyTo: replyTo(coach),
  };
}
