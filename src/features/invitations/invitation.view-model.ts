import { unreachableLinks } from '../../shared/http/loopback';
import type { MailAddress } from '../../shared/mail/smtp';
import type { FormErrors, toFields } from '../../shared/views/forms';
import { roundUrl, type Round } from '../rounds';
import { teamUrl } from '../teams';
import type { MailCoach } from './invitation.mail';
import type { InvitationsDto } from './invitation.schemas';

const STATE_TEXT = {
  queued: 'waiting to be sent',
  sending: 'being sent',
  sent: 'sent',
  failed: 'not delivered',
} as const;

/** The invitations page: counts first ("3 of 5 invited have answered"), problems, forms. */
export function toInvitationsPage(input: {
  overview: InvitationsDto;
  round: Round;
  teamList: Readonly<{ size: number; notInvited: readonly string[] }>;
  coach: MailCoach;
  /** The invitation e-mail, with a placeholder for each person's link. */
  preview: Readonly<{ subject: string; text: string; replyTo: MailAddress }>;
  /** BASE_URL: the links handed out start with it. */
  baseUrl: string;
  fields: ReturnType<typeof toFields>;
  errors?: FormErrors;
}) {
  const { overview, round } = input;
  const waiting = overview.invited - overview.answered;
  const { remindable } = overview;
  return {
    title: `Invitations: ${round.title}`,
    roundTitle: round.title,
    teamName: round.teamName ?? 'The team',
    teamUrl: teamUrl(round.teamId),
    roundUrl: roundUrl(round.id),
    action: `${roundUrl(round.id)}/invitations`,
    remindAction: `${roundUrl(round.id)}/reminders`,
    enabled: overview.enabled,
    fields: input.fields,
    errors: input.errors,
    answeredText:
      overview.invited === 0
        ? 'Nobody has been invited by e-mail yet.'
        : `${overview.answered} of ${overview.invited} invited have answered through their invitation.`,
    mailText: [
      `Invitations: ${overview.invitations.sent} sent`,
      overview.invitations.queued > 0 ? `${overview.invitations.queued} waiting` : null,
      overview.invitations.failed > 0 ? `${overview.invitations.failed} not delivered` : null,
    ]
      .filter(Boolean)
      .join(', '),
    remindersText:
      overview.reminders.sent + overview.reminders.queued + overview.reminders.failed > 0
        ? `Reminders: ${overview.reminders.sent} sent${overview.reminders.queued > 0 ? `, ${overview.reminders.queued} waiting` : ''}${overview.reminders.failed > 0 ? `, ${overview.reminders.failed} not delivered` : ''}`
        : null,
    unreachableLinks: unreachableLinks(input.baseUrl),
    preview: {
      subject: input.preview.subject,
      text: input.preview.text,
      replyTo: `${input.preview.replyTo.name} <${input.preview.replyTo.address}>`,
    },
    testButton: `Send a test invitation to myself (${input.coach.email})`,
    testAction: `${roundUrl(round.id)}/invitations/test`,
    // The counts the reminder itself follows: nobody left, no button.
    canRemind: overview.enabled && remindable > 0,
    allRemindedText:
      waiting > 0 && remindable === 0
        ? `${waiting === 1 ? 'The 1 who has' : `All ${waiting} who have`} not answered had their reminder: each address gets one at most.`
        : null,
    teamList: teamListView(input.teamList, round.teamName ?? 'The team'),
    remindButton:
      remindable === waiting
        ? `Remind the ${waiting} who have not answered`
        : `Remind the ${remindable} not reminded yet (of ${waiting} who have not answered)`,
    problems: overview.problems.map((p) => ({
      ...p,
      what: `${p.kind === 'reminder' ? 'Reminder' : 'Invitation'} ${p.state === 'failed' ? 'not delivered' : 'will be tried again'}`,
    })),
    addresses: overview.addresses?.map((a) => ({
      ...a,
      answeredText: a.answered ? 'answered' : 'not yet',
      invitationText: a.invitation ? STATE_TEXT[a.invitation] : '–',
      reminderText: a.reminder ? STATE_TEXT[a.reminder] : '–',
    })),
  };
}

/** The team's kept addresses on the page: how many, and a button for those not invited yet. */
function teamListView(
  list: Readonly<{ size: number; notInvited: readonly string[] }>,
  team: string,
) {
  if (list.size === 0) return null;
  const left = list.notInvited.length;
  return {
    // Sent as the invite form's addresses: the same validation, the same rule.
    emails: list.notInvited.join(', '),
    text:
      left === 0
        ? `Everyone on ${team}’s list (${list.size}) has been invited.`
        : `${team}’s list has ${list.size} address${list.size === 1 ? '' : 'es'}; ${left} not invited yet.`,
    button: left > 0 ? `Invite the ${left} from the team’s list` : null,
  };
}
