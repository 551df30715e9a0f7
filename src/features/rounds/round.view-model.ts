import { unreachableLinks } from '../../shared/http/loopback';
import { toFields, type FieldSpec, type FormErrors } from '../../shared/views/forms';
import { hasRole, type Role } from '../workspaces';
import { participationOf, participationText } from './participation';
import { MIN_ANONYMOUS_GROUP } from './round.schemas';
import type { CountedRound, Round, RoundAccess, RoundStatus } from './round.types';

export function roundUrl(roundId: string): string {
  return `/rounds/${encodeURIComponent(roundId)}`;
}

export function respondentPath(round: Pick<Round, 'linkToken'>): string {
  return `/r/${round.linkToken}`;
}

const ACCESS_TEXT: Record<RoundAccess, string> = {
  link: 'Anyone with the round’s link',
  invited: 'By invitation — only a personal link from an invitation e-mail starts an answer, once',
};

const STATUS_TEXT: Record<RoundStatus, string> = {
  draft: 'Draft — not open for answers yet',
  open: 'Open — accepting answers',
  closed: 'Closed — no more answers',
};

/** The API's view of a round; the link only for those who may share it. */
export function toRoundDto(
  { round, status, responseCount, expectedSize }: CountedRound,
  role: Role,
) {
  const participation = participationOf({ ...round, n: responseCount, expected: expectedSize });
  return {
    id: round.id,
    teamId: round.teamId,
    title: round.title,
    questionnaire: {
      slug: round.questionnaire.slug,
      version: round.questionnaire.version,
      title: round.questionnaire.title,
    },
    anonymity: round.anonymity,
    access: round.access,
    minGroupSize: round.minGroupSize,
    status,
    closesAt: round.closesAt?.toISOString() ?? null,
    createdAt: round.createdAt.toISOString(),
    openedAt: round.openedAt?.toISOString() ?? null,
    closedAt: round.closedAt?.toISOString() ?? null,
    responseCount,
    expected: participation.expected,
    responseRate: participation.responseRate,
    ...(hasRole(role, 'coach')
      ? { link: { token: round.linkToken, path: respondentPath(round) } }
      : {}),
  };
}

export function toRoundSummary({ round, status, responseCount, expectedSize }: CountedRound) {
  const participation = participationOf({ ...round, n: responseCount, expected: expectedSize });
  return {
    id: round.id,
    title: round.title,
    url: roundUrl(round.id),
    status,
    statusText: STATUS_TEXT[status],
    questionnaireTitle: round.questionnaire.title,
    questionnaireVersion: round.questionnaire.version,
    responseCount,
    /** "6 of 9 answered (67%)" when the team's size is known. */
    answeredText: participationText(participation),
    /** Anonymous rounds below k: "2 more answers before any figure shows". */
    belowKText: participation.kReached
      ? null
      : `${participation.missingForK} more ${participation.missingForK === 1 ? 'answer' : 'answers'} before any figure shows`,
    createdAt: round.createdAt,
  };
}

/** When a closed round closed: by a coach, or at its closing date. */
function closedOn(round: Round): Date | null {
  return round.closedAt ?? round.closesAt;
}

export function toRoundPage(
  input: CountedRound & {
    teamUrl: string;
    role: Role;
    origin: string;
  },
) {
  const { round, status } = input;
  const canManage = hasRole(input.role, 'coach');
  const closed = status === 'closed';
  return {
    title: round.title,
    round: toRoundSummary(input),
    teamName: input.teamName,
    teamUrl: input.teamUrl,
    anonymityText:
      round.anonymity === 'anonymous'
        ? `Anonymous — no figure is shown for fewer than ${round.minGroupSize} responses`
        : 'Named — respondents give their name; coaches see it',
    accessText: ACCESS_TEXT[round.access],
    byInvitation: round.access === 'invited',
    closesAt: round.closesAt,
    /** A closed round says when it closed, and hands out no link: nobody can answer it. */
    closed,
    closedOn: closed ? closedOn(round) : null,
    canManage,
    link: canManage && !closed ? `${input.origin}${respondentPath(round)}` : null,
    /** While the link points at this machine only, coaches are told how to fix it. */
    unreachableLinks: canManage && !closed ? unreachableLinks(input.origin) : null,
    canOpen: canManage && status === 'draft',
    canClose: canManage && status === 'open',
    canRotate: canManage && !closed,
    canDelete: canManage && status === 'draft',
    editUrl: canManage ? `${roundUrl(round.id)}/edit` : null,
    /** A closed round's results can be shared with the team (the results feature's page). */
    canShareResults: canManage && closed,
  };
}

export const ROUND_FIELDS: readonly FieldSpec[] = [
  {
    name: 'title',
    label: 'Title',
    required: true,
    maxlength: 120,
    hint: 'E.g. "Spring retrospective 2027".',
  },
  {
    name: 'minGroupSize',
    label: 'Minimum group size',
    type: 'number',
    required: true,
    hint: `No figure is shown for fewer responses than this. At least ${MIN_ANONYMOUS_GROUP} for anonymous rounds.`,
  },
  {
    name: 'closesOn',
    label: 'Closing date (optional)',
    type: 'date',
    hint: 'The round stops accepting answers at the end of this day (UTC).',
  },
];

export function toNewRoundView(input: {
  teams: readonly { id: string; name: string }[];
  questionnaires: readonly { slug: string; title: string; version: number }[];
  values: Record<string, string>;
  errors?: FormErrors;
  /** A round by invitation is offered only where invitations by e-mail can go out. */
  invitationsEnabled: boolean;
}) {
  const values: Record<string, string> = {
    minGroupSize: String(MIN_ANONYMOUS_GROUP),
    anonymity: 'anonymous',
    access: 'link',
    ...input.values,
  };
  return {
    title: 'New round',
    fields: toFields(ROUND_FIELDS, { values, errors: input.errors }),
    errors: input.errors,
    teamError: input.errors?.byField.teamId,
    questionnaireError: input.errors?.byField.questionnaire,
    teams: keepUnknown(
      input.teams.map((t) => ({ value: t.id, label: t.name })),
      values.teamId,
      'Unknown team',
    ),
    questionnaires: keepUnknown(
      input.questionnaires.map((q) => ({
        value: q.slug,
        label: `${q.title} (version ${q.version})`,
      })),
      values.questionnaire,
      'Unknown questionnaire',
    ),
    anonymous: values.anonymity !== 'named',
    byInvitation: values.access === 'invited',
    invitationsEnabled: input.invitationsEnabled,
    accessError: input.errors?.byField.access,
  };
}

/**
 * A select's options with the submitted value chosen; a value that is none of them (a team
 * archived meanwhile, an edited request) stays chosen as what it is, so the error next to it
 * is about what was sent, and nothing is silently reset.
 */
function keepUnknown(
  options: readonly { value: string; label: string }[],
  chosen: string | undefined,
  unknown: string,
) {
  const marked = options.map((o) => ({ ...o, selected: o.value === chosen }));
  return chosen && !marked.some((o) => o.selected)
    ? [...marked, { value: chosen, label: `${unknown}: ${chosen}`, selected: true }]
    : marked;
}

/** The edit form: the title, and the closing date unless the round is closed (it would reopen). */
export function toEditRoundView(input: {
  round: Round;
  status: RoundStatus;
  values?: Record<string, string>;
  errors?: FormErrors;
}) {
  const { round } = input;
  const closed = input.status === 'closed';
  const values = input.values ?? {
    title: round.title,
    closesOn: round.closesAt ? round.closesAt.toISOString().slice(0, 10) : '',
  };
  const fields = toFields(
    ROUND_FIELDS.filter((f) => f.name === 'title' || (f.name === 'closesOn' && !closed)),
    { values, errors: input.errors },
  );
  return {
    title: `Edit: ${round.title}`,
    roundTitle: round.title,
    roundUrl: roundUrl(round.id),
    action: `${roundUrl(round.id)}/edit`,
    fields,
    errors: input.errors,
    closed,
    closedOn: closed ? closedOn(round) : null,
  };
}

/** The edit form's strings → UpdateRoundInput; an absent date field (closed round) is no change. */
export function roundEditFromForm(body: Record<string, unknown>) {
  const closesOn = body.closesOn;
  return {
    ...(body.title === undefined ? {} : { title: body.title }),
    ...(typeof closesOn === 'string' ? { closesAt: closesOn ? endOfDay(closesOn) : null } : {}),
  };
}

/** A date from a form's date field means the end of that day (UTC), as the form says. */
const endOfDay = (day: string) => `${day}T23:59:59Z`;

/** The form's strings → the API's input shape, so both doors share CreateRoundInput. */
export function roundInputFromForm(body: Record<string, unknown>) {
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
  const k = text('minGroupSize');
  const closesOn = text('closesOn');
  return {
    teamId: text('teamId') ?? '',
    questionnaire: { slug: text('questionnaire') ?? '' },
    title: text('title') ?? '',
    anonymity: text('anonymity'),
    access: text('access'),
    minGroupSize: k === undefined || k === '' ? undefined : Number(k),
    closesAt: closesOn ? endOfDay(closesOn) : undefined,
  };
}

/** The printable invitation card: the team, the round, the QR code and the link, what to expect. */
export function toInvitationCard(input: {
  round: Round;
  status: RoundStatus;
  link: string;
  svg: string;
}) {
  const { round } = input;
  if (input.status === 'closed') {
    // CASE: no card for a closed round: its link and code would promise an answer it refuses.
    const on = closedOn(round);
    return {
      title: `Invitation: ${round.title}`,
      teamName: round.teamName ?? '',
      roundTitle: round.title,
      closedText: `This round is closed${on ? ` (it closed on ${on.toISOString().slice(0, 10)})` : ''}: it takes no more answers, so there is no invitation to hand out.`,
      backUrl: roundUrl(round.id),
    };
  }
  return {
    title: `Invitation: ${round.title}`,
    teamName: round.teamName ?? '',
    roundTitle: round.title,
    questionnaireTitle: round.questionnaire.title,
    link: input.link,
    // Made by the QR library from the link alone: markup to embed, no user text in it.
    qrSvg: input.svg,
    anonymity:
      round.anonymity === 'anonymous'
        ? `Anonymous: nobody sees who answered what, and no figure is shown for fewer than ${round.minGroupSize} people.`
        : 'Named: your name is shown with your answers.',
    closes: round.closesAt
      ? `Answers are taken until ${round.closesAt.toISOString().slice(0, 10)}.`
      : null,
    backUrl: roundUrl(round.id),
  };
}
