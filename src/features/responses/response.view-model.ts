import type { FieldIssue } from '../../shared/errors';
import { toFields, type FormErrors } from '../../shared/views/forms';
import { toSectionsView, type QuestionnaireDefinition } from '../questionnaires';
import { fieldOfPath, itemsOf } from './answers';
import type { OpenRound } from './response.service';

export function respondentUrl(token: string): string {
  return `/r/${token}`;
}

/** Where the error summary sends keyboard focus for a field: its first control. */
function anchorOf(definition: QuestionnaireDefinition, field: string): string {
  if (field === 'respondentName' || field === 'respondentRole') return `#field-${field}`;
  const [itemId = '', part = ''] = field.split('.');
  const item = itemsOf(definition).find((i) => i.id === itemId);
  if (!item) return `#item-${itemId}`;
  switch (item.kind) {
    case 'tension':
      return `#q-${item.id}-${part}-1`;
    case 'maturity':
      return `#q-${item.id}-1`;
    case 'practice':
      return part === 'rating' ? `#q-${item.id}-rating-1` : `#q-${item.id}-text`;
    case 'dcf':
      return `#q-${item.id}-${part}-driver`;
  }
}

/** Validation problems → the error summary (linked to each field) and messages by field. */
export function toAnswerErrors(
  definition: QuestionnaireDefinition,
  issues: readonly FieldIssue[],
): FormErrors {
  const numbers = new Map(itemsOf(definition).map((item, i) => [item.id, i + 1]));
  const byField: Record<string, string> = {};
  const summary = issues.map((issue) => {
    const field = fieldOfPath(definition, issue.path);
    if (!field) return { message: issue.message, href: null };
    byField[field] ??= issue.message;
    const number = numbers.get(field.split('.')[0] ?? '');
    const label =
      field === 'respondentName'
        ? 'Your name'
        : field === 'respondentRole'
          ? 'Your role'
          : `Question ${number ?? ''}`;
    return { message: `${label}: ${issue.message}`, href: anchorOf(definition, field) };
  });
  return { summary, byField };
}

type RoundPrivacy = { anonymity: 'anonymous' | 'named'; minGroupSize: number };

/**
 * Every promise the respondent's pages make about who sees what, from the round's anonymity
 * alone (DESIGN.md, "anonymity"): a named round shows names to the coach, in reports and their
 * PDFs; an anonymous one keeps no name and the day but not the time, and shows nothing below k.
 * Questionnaire texts make no such promise (a questionnaire serves both kinds of round).
 */
export function privacyOf(round: RoundPrivacy) {
  if (round.anonymity === 'named') {
    const note = 'This round is named: your coach sees your name next to your answers.';
    return {
      note: `${note} That includes what you write, in the report and its PDF.`,
      textNote: 'Your coach sees this with your name, in the report and its PDF.',
      thanksNote: note,
    };
  }
  const k = round.minGroupSize;
  const kept =
    'your answers are kept without your name, with the day you gave them but not the time';
  return {
    note: `This round is anonymous: ${kept}, and no result is shown for fewer than ${k} people.`,
    textNote: `Shown without your name, and not before ${k} people have answered.`,
    thanksNote: `This round is anonymous: ${kept}. The team's results only show groups of at least ${k} people, so no one can be singled out.`,
  };
}

export function toThanksPage(input: { open: OpenRound; token: string; answeredOn?: string }) {
  const { round, teamName } = input.open;
  return {
    title: 'Thank you',
    respondent: true,
    roundTitle: round.title,
    teamName,
    answeredOn: input.answeredOn,
    privacyNote: privacyOf(round).thanksNote,
    editUrl: respondentUrl(input.token),
    closesAt: round.closesAt,
  };
}

export function toRespondentPage(input: {
  open: OpenRound;
  token: string;
  respondentKey: string;
  /** A personal link's invitation token, sent back with the form. */
  invitation?: string;
  /** A round by link opened through a personal link that answered before. */
  invitationUsed?: boolean;
  values: Readonly<Record<string, string>>;
  errors?: FormErrors;
  answeredOn?: string;
}) {
  const { round, definition, teamName } = input.open;
  const privacy = privacyOf(round);
  const sections = toSectionsView(definition, {
    disabled: false,
    expandHelp: false,
    selected: input.values,
    errors: input.errors?.byField,
    textNote: privacy.textNote,
  });
  const named = round.anonymity === 'named';
  return {
    title: round.title,
    respondent: true,
    roundTitle: round.title,
    teamName,
    questionnaireTitle: definition.title,
    summary: definition.summary,
    action: respondentUrl(input.token),
    respondentKey: input.respondentKey,
    invitation: input.invitation,
    invitationUsed: input.invitationUsed === true,
    named,
    privacyNote: privacy.note,
    nameFields: named
      ? toFields(
          [
            {
              name: 'respondentName',
              label: 'Your name (required)',
              required: true,
              maxlength: 80,
              autocomplete: 'name',
            },
            { name: 'respondentRole', label: 'Your role (optional)', maxlength: 80 },
          ],
          { values: input.values, errors: input.errors },
        )
      : null,
    closesAt: round.closesAt,
    answeredOn: input.answeredOn,
    errors: input.errors,
    itemCount: sections.reduce((n, s) => n + s.items.length, 0),
    requiredCount: sections.reduce((n, s) => n + s.items.filter((i) => i.required).length, 0),
    sectionLinks: sections.map((s) => ({ id: s.id, title: s.title, position: s.position })),
    sections,
  };
}
