/** What a round's e-mails say: the round as the invitee needs it, in plain words. */
export type RoundForMail = Readonly<{
  title: string;
  teamName: string | null;
  questionnaire: { title: string };
  anonymity: 'anonymous' | 'named';
  minGroupSize: number;
  closesAt: Date | null;
  linkToken: string;
}>;

function body(round: RoundForMail, link: string, opening: string): string {
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
    `${team}, through Teamlens`,
  ].join('\n');
}

export function invitationMail(round: RoundForMail, link: string) {
  const team = round.teamName ?? 'Your team';
  return {
    subject: `${team}: ${round.title} — your answers, please`,
    text: body(
      round,
      link,
      `${team} is taking stock with “${round.questionnaire.title}” (${round.title}), and your answers count.`,
    ),
  };
}

export function reminderMail(round: RoundForMail, link: string) {
  const team = round.teamName ?? 'Your team';
  return {
    subject: `Reminder: ${team}: ${round.title}`,
    text: body(
      round,
      link,
      `There is still time to answer “${round.questionnaire.title}” (${round.title}) for ${team}. If you have answered already, thank you: please ignore this.`,
    ),
  };
}
