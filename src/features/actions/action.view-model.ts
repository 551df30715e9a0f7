import { toFields, toSelect, type FieldSpec, type FormErrors } from '../../shared/views/forms';
import {
  agreedFieldsOf,
  briefOf,
  type Action,
  type ActionBrief,
  type DescribedAction,
  type ItemRef,
} from './action.types';

/** The API's view of an action. */
export function toActionDto(action: Action, today: string) {
  return {
    id: action.id,
    teamId: action.teamId,
    sourceRoundId: action.sourceRoundId,
    itemId: action.itemId,
    ...agreedFieldsOf(action, today),
    createdAt: action.createdAt.toISOString(),
    updatedAt: action.updatedAt.toISOString(),
  };
}

export function actionUrl(actionId: string): string {
  return `/actions/${encodeURIComponent(actionId)}`;
}

export function newActionUrl(teamId: string, from?: { roundId: string; itemId?: string }): string {
  const base = `/teams/${encodeURIComponent(teamId)}/actions/new`;
  if (!from) return base;
  const query = new URLSearchParams({
    round: from.roundId,
    ...(from.itemId ? { item: from.itemId } : {}),
  });
  return `${base}?${query.toString()}`;
}

/** The report of a round (owned by reports; its URL is part of the page contract). */
export function roundReportUrl(roundId: string): string {
  return `/reports/rounds/${encodeURIComponent(roundId)}`;
}

/** "towards “Outcome to reach”", for an action with a target pole. */
export function poleText(action: Pick<ActionBrief, 'pole' | 'item'>): string | null {
  const { pole, item } = action;
  if (!pole || !item) return null;
  const label = pole === 'left' ? item.left : item.right;
  return label ? `towards “${label}”` : null;
}

/** One action as every list shows it (partials/actions/brief.hbs). */
export function toActionRow(brief: ActionBrief) {
  return {
    id: brief.id,
    url: actionUrl(brief.id),
    title: brief.title,
    status: brief.status,
    overdue: brief.overdue,
    owner: brief.owner,
    dueOn: brief.dueOn,
    notes: brief.notes,
    itemId: brief.item?.id ?? null,
    itemText: brief.item ? `${brief.item.number}. ${brief.item.title}` : null,
    poleText: poleText(brief),
    sourceRound: {
      title: brief.sourceRound.title,
      reportUrl: roundReportUrl(brief.sourceRound.id),
    },
  };
}

export const ACTION_FIELDS: readonly FieldSpec[] = [
  {
    name: 'title',
    label: 'What will the team do?',
    required: true,
    maxlength: 200,
    hint: 'One change, small enough to try before the next round.',
  },
  {
    name: 'owner',
    label: 'Owner (optional)',
    maxlength: 80,
    hint: 'A name, or "the team".',
  },
  { name: 'dueOn', label: 'Due (optional)', type: 'date', hint: 'The day it should be done.' },
  { name: 'notes', label: 'Notes (optional)', multiline: true, rows: 4, maxlength: 2000 },
];

export function toActionFields(form: { values: Record<string, string>; errors?: FormErrors }) {
  return toFields(ACTION_FIELDS, form);
}

/**
 * A form's strings → the API's input shape, so both doors share one schema. A field the form
 * did not send stays absent; an empty optional choice is "none"; line breaks are counted as
 * the browser's maxlength counts them (one character, not the CRLF it sends).
 */
export function actionInputFromForm(body: Record<string, unknown>, fields: readonly string[]) {
  const valueOf = (key: string) => {
    const value = body[key];
    if (OPTIONAL_CHOICES.has(key) && value === '') return null;
    return typeof value === 'string' ? value.replace(/\r\n/g, '\n') : value;
  };
  return Object.fromEntries(fields.filter((key) => key in body).map((key) => [key, valueOf(key)]));
}

const OPTIONAL_CHOICES = new Set(['itemId', 'pole', 'dueOn']);

export function actionFormValues(action: Action): Record<string, string> {
  return {
    title: action.title,
    owner: action.owner ?? '',
    dueOn: action.dueOn ?? '',
    notes: action.notes,
    status: action.status,
    pole: action.pole ?? '',
  };
}

/** The pole choices of a tension item, or of any tension while the item is not yet known. */
function poleOptions(item: ItemRef | null | undefined) {
  return [
    { value: '', label: 'No target pole' },
    { value: 'left', label: item?.left ? `Towards “${item.left}”` : 'Towards the left pole' },
    { value: 'right', label: item?.right ? `Towards “${item.right}”` : 'Towards the right pole' },
  ];
}

export function toNewActionView(input: {
  team: { id: string; name: string };
  rounds: readonly { id: string; title: string }[];
  round: { id: string; title: string } | null;
  items: readonly ItemRef[];
  values: Record<string, string>;
  errors?: FormErrors;
}) {
  // The round asked for may not be offered (not this team's): the form falls back to the newest.
  const asked = input.round !== null && input.round.id === input.values.sourceRoundId;
  const values: Record<string, string> = { ...input.values, sourceRoundId: input.round?.id ?? '' };
  const form = { values, errors: input.errors };
  const chosen = input.items.find((i) => i.id === values.itemId);
  const anyTension = input.items.some((i) => i.kind === 'tension');
  return {
    title: `Agree an action: ${input.team.name}`,
    team: { ...input.team, url: `/teams/${encodeURIComponent(input.team.id)}` },
    action: `/teams/${encodeURIComponent(input.team.id)}/actions`,
    from: values.from === 'report' ? 'report' : 'team',
    backUrl:
      values.from === 'report' && asked && input.round
        ? `${roundReportUrl(input.round.id)}${chosen ? `#item-${encodeURIComponent(chosen.id)}` : ''}`
        : `/teams/${encodeURIComponent(input.team.id)}#actions`,
    hasRounds: input.rounds.length > 0,
    errors: input.errors,
    chosenItem: chosen ? `${chosen.number}. ${chosen.title}` : null,
    round: toSelect(
      {
        name: 'sourceRoundId',
        label: 'From the round',
        hint: 'The round whose report the team discussed. Its items are listed below.',
      },
      input.rounds.map((r) => ({ value: r.id, label: r.title })),
      form,
    ),
    item: toSelect(
      {
        name: 'itemId',
        label: 'On the item (optional)',
        hint: 'The next round’s report then shows this item before and after.',
      },
      [
        { value: '', label: 'No particular item' },
        ...input.items.map((i) => ({ value: i.id, label: `${i.number}. ${i.title}` })),
      ],
      form,
    ),
    // Offered with any tension in the round, so that a refused pole shows next to its field.
    pole:
      anyTension && (!chosen || chosen.kind === 'tension' || values.pole)
        ? toSelect(
            {
              name: 'pole',
              label: 'Move towards (tensions, optional)',
              hint: 'The side the team wants to move towards; the next report says whether it did.',
            },
            poleOptions(chosen),
            form,
          )
        : null,
    fields: toActionFields(form),
  };
}

export function toEditActionView(input: {
  described: DescribedAction;
  teamName: string;
  today: string;
  canEdit: boolean;
  values: Record<string, string>;
  errors?: FormErrors;
}) {
  const { described } = input;
  const form = { values: input.values, errors: input.errors };
  const row = toActionRow(briefOf(described, input.today));
  return {
    title: `Action: ${described.action.title}`,
    action: row,
    teamUrl: `/teams/${encodeURIComponent(described.action.teamId)}`,
    teamName: input.teamName,
    canEdit: input.canEdit,
    errors: input.errors,
    fields: toActionFields(form),
    status: toSelect(
      { name: 'status', label: 'Status' },
      [
        { value: 'open', label: 'Open' },
        { value: 'done', label: 'Done' },
        { value: 'dropped', label: 'Dropped' },
      ],
      form,
    ),
    pole:
      described.item?.kind === 'tension'
        ? toSelect({ name: 'pole', label: 'Move towards' }, poleOptions(described.item), form)
        : null,
  };
}
