import { toFields, toSelect, type FieldSpec, type FormErrors } from '../../shared/views/forms';
import type { DescribedAction } from './action.service';
import { isOverdue, type Action } from './action.types';

/** The API's view of an action. */
export function toActionDto(action: Action, today: string) {
  return {
    id: action.id,
    teamId: action.teamId,
    sourceRoundId: action.sourceRoundId,
    itemId: action.itemId,
    pole: action.pole,
    title: action.title,
    owner: action.owner,
    dueOn: action.dueOn,
    status: action.status,
    overdue: isOverdue(action, today),
    notes: action.notes,
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

const STATUS_TEXT = { open: 'open', done: 'done', dropped: 'dropped' } as const;

/** "Towards “Outcome to reach”", for an action with a target pole. */
export function poleText(described: Pick<DescribedAction, 'action' | 'item'>): string | null {
  const { action, item } = described;
  if (!action.pole || !item) return null;
  const label = action.pole === 'left' ? item.left : item.right;
  return label ? `towards “${label}”` : null;
}

/** One row of an action list (team page, dashboard). */
export function toActionRow(described: DescribedAction, today: string) {
  const { action, item, sourceRound } = described;
  return {
    id: action.id,
    url: actionUrl(action.id),
    title: action.title,
    status: action.status,
    statusText: STATUS_TEXT[action.status],
    overdue: isOverdue(action, today),
    owner: action.owner,
    dueOn: action.dueOn,
    notes: action.notes,
    itemText: item ? `${item.number}. ${item.title}` : null,
    poleText: poleText(described),
    sourceRound: {
      title: sourceRound.title,
      reportUrl: `/reports/rounds/${encodeURIComponent(sourceRound.id)}`,
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

/** A form's strings → the API's input shape, so both doors share one schema. */
export function actionInputFromForm(body: Record<string, unknown>, fields: readonly string[]) {
  // A field the form did not send stays absent; an empty optional choice is "none".
  return Object.fromEntries(
    fields
      .filter((key) => key in body)
      .map((key) => [key, OPTIONAL_CHOICES.has(key) && body[key] === '' ? null : body[key]]),
  );
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

type ItemChoice = NonNullable<DescribedAction['item']>;

/** The pole choices of a tension item, or of any tension while the item is not yet known. */
function poleOptions(item: ItemChoice | null | undefined) {
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
  items: readonly ItemChoice[];
  values: Record<string, string>;
  errors?: FormErrors;
}) {
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
      values.from === 'report' && input.round
        ? `/reports/rounds/${encodeURIComponent(input.round.id)}${chosen ? `#item-${encodeURIComponent(chosen.id)}` : ''}`
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
    pole:
      anyTension && (!chosen || chosen.kind === 'tension')
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
  const row = toActionRow(described, input.today);
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
