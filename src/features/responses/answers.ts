import { withoutInvisibleControls } from '../../shared/text';
import {
  CANT_SAY,
  isEffortAtRisk,
  isRequired,
  PRACTICE_RATING_POINTS,
  TENSION_COMMENT_MAX,
  TENSION_SCALE_POINTS,
  type Item,
  type QuestionnaireDefinition,
} from '../questionnaires';
import type { FieldIssue } from '../../shared/errors';
import type { AnswerDoc } from './response.model';
import type { AnswerInput, ResponseInput } from './response.schemas';

/**
 * Answers checked against the questionnaire version of the round: every required item answered,
 * values in range, texts within their limit, nothing for an unknown item. Pure: the page and the
 * API call it with the same input shape (the page converts its form first, in questionnaire
 * order, so that every path `answers.<i>` points at the i-th item).
 */

export function itemsOf(definition: QuestionnaireDefinition): Item[] {
  return definition.sections.flatMap((s) => s.items);
}

const messages = {
  unknownItem: (id: string) => `There is no item "${id}" in this questionnaire`,
  duplicate: (id: string) => `Item "${id}" is answered twice`,
  missing: (id: string) => `Item "${id}" needs an answer`,
  chooseScale: 'Choose a point on the scale',
  chooseLevel: 'Choose the level that fits the team',
  chooseClass: 'Choose driver, constraint or float',
  range: (min: number, max: number) => `Choose a value from ${min} to ${max}`,
  notForKind: (field: string, kind: string) => `A ${kind} item takes no "${field}"`,
  notWithCantSay: (field: string) =>
    `“Can’t say” goes without a "${field}": choose a point or “Can’t say”, not both`,
  textTooLong: (max: number) => `Use at most ${max} characters`,
  textRequired: 'Write an answer',
  unknownAspect: (key: string) => `There is no aspect "${key}" in this item`,
  nameRequired: 'Enter your name: this round is named',
  nameNotAsked: 'This round is anonymous: it takes no name or role',
} as const;

type Check = { issues: FieldIssue[]; add: (path: string, message: string) => void };

function inRange(
  check: Check,
  path: string,
  value: number | undefined,
  max: number,
  min = 1,
): void {
  if (value !== undefined && (value < min || value > max))
    check.add(path, messages.range(min, max));
}

function forbid(
  check: Check,
  answer: AnswerInput,
  at: string,
  kind: string,
  fields: (keyof AnswerInput)[],
) {
  for (const field of fields) {
    if (answer[field] !== undefined) check.add(`${at}.${field}`, messages.notForKind(field, kind));
  }
}

/** A "can't say" answer gives no point of any scale. */
function withoutValue(
  check: Check,
  answer: AnswerInput,
  at: string,
  fields: ('value' | 'desired')[],
) {
  for (const field of fields) {
    if (answer[field] !== undefined) check.add(`${at}.${field}`, messages.notWithCantSay(field));
  }
}

function checkAnswer(check: Check, item: Item, answer: AnswerInput, at: string): void {
  switch (item.kind) {
    case 'tension':
      forbid(check, answer, at, 'tension', [
        'text',
        'rating',
        'classes',
        ...(item.askDesired ? [] : ['desired' as const]),
      ]);
      if (answer.cantSay) withoutValue(check, answer, at, ['value', 'desired']);
      else if (answer.value === undefined) check.add(`${at}.value`, messages.chooseScale);
      inRange(check, `${at}.value`, answer.value, TENSION_SCALE_POINTS);
      inRange(check, `${at}.desired`, answer.desired, TENSION_SCALE_POINTS);
      if ((answer.comment?.trim().length ?? 0) > TENSION_COMMENT_MAX)
        check.add(`${at}.comment`, messages.textTooLong(TENSION_COMMENT_MAX));
      return;
    case 'maturity':
      forbid(check, answer, at, 'maturity', ['desired', 'text', 'rating', 'classes', 'comment']);
      if (answer.cantSay) withoutValue(check, answer, at, ['value']);
      else if (answer.value === undefined) check.add(`${at}.value`, messages.chooseLevel);
      inRange(check, `${at}.value`, answer.value, item.levels.length);
      return;
    case 'practice': {
      forbid(check, answer, at, 'practice', [
        'value',
        'desired',
        'classes',
        'comment',
        'cantSay',
        ...(item.rating ? [] : ['rating' as const]),
      ]);
      const text = answer.text?.trim() ?? '';
      if (item.required && text === '') check.add(`${at}.text`, messages.textRequired);
      if (text.length > item.maxLength)
        check.add(`${at}.text`, messages.textTooLong(item.maxLength));
      inRange(check, `${at}.rating`, answer.rating, PRACTICE_RATING_POINTS);
      return;
    }
    case 'dcf': {
      forbid(check, answer, at, 'dcf', [
        'value',
        'desired',
        'text',
        'rating',
        'comment',
        'cantSay',
      ]);
      const classes = answer.classes ?? {};
      for (const aspect of item.aspects) {
        if (!classes[aspect.key]) check.add(`${at}.classes.${aspect.key}`, messages.chooseClass);
      }
      for (const key of Object.keys(classes)) {
        if (!item.aspects.some((a) => a.key === key))
          check.add(`${at}.classes.${key}`, messages.unknownAspect(key));
      }
      return;
    }
  }
}

/** Whether an answer says anything (the page sends every item, answered or not). */
function isEmpty(item: Item, answer: AnswerInput): boolean {
  if (item.kind === 'practice')
    return (answer.text?.trim() ?? '') === '' && answer.rating === undefined;
  if (item.kind === 'dcf') return Object.keys(answer.classes ?? {}).length === 0;
  return answer.value === undefined && answer.desired === undefined && !answer.cantSay;
}

/** Every problem of `input` for `definition`; an empty list means the answers can be stored. */
export function checkAnswers(
  definition: QuestionnaireDefinition,
  input: ResponseInput,
  anonymity: 'anonymous' | 'named',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check: Check = { issues, add: (path, message) => issues.push({ path, message }) };
  const items = new Map(itemsOf(definition).map((item) => [item.id, item]));
  const seen = new Set<string>();

  input.answers.forEach((answer, i) => {
    const at = `answers.${i}`;
    const item = items.get(answer.itemId);
    if (!item) return check.add(`${at}.itemId`, messages.unknownItem(answer.itemId));
    if (seen.has(item.id)) return check.add(`${at}.itemId`, messages.duplicate(item.id));
    seen.add(item.id);
    if (isEmpty(item, answer) && !isRequired(item)) return;
    checkAnswer(check, item, answer, at);
  });
  for (const item of items.values()) {
    if (!seen.has(item.id) && isRequired(item)) check.add('answers', messages.missing(item.id));
  }

  if (anonymity === 'named' && !input.name) check.add('name', messages.nameRequired);
  if (anonymity === 'anonymous' && (input.name || input.role)) {
    check.add(input.name ? 'name' : 'role', messages.nameNotAsked);
  }
  return issues;
}

/** Valid answers → what is stored: empty optional answers dropped, texts trimmed. */
export function toStoredAnswers(
  definition: QuestionnaireDefinition,
  input: ResponseInput,
): AnswerDoc[] {
  const items = new Map(itemsOf(definition).map((item) => [item.id, item]));
  return input.answers.flatMap((answer): AnswerDoc[] => {
    const item = items.get(answer.itemId);
    if (!item || isEmpty(item, answer)) return [];
    switch (item.kind) {
      case 'tension': {
        // The "why?" is stored as the answer's text, where reports read every free text.
        const comment = answer.comment?.trim();
        return [
          {
            itemId: item.id,
            ...(answer.cantSay ? { cantSay: true as const } : { value: answer.value }),
            ...(answer.desired === undefined ? {} : { desired: answer.desired }),
            ...(comment ? { text: comment } : {}),
          },
        ];
      }
      case 'maturity':
        return [
          {
            itemId: item.id,
            ...(answer.cantSay ? { cantSay: true as const } : { value: answer.value }),
          },
        ];
      case 'practice': {
        const text = answer.text?.trim();
        return [
          {
            itemId: item.id,
            ...(text ? { text } : {}),
            ...(answer.rating === undefined ? {} : { value: answer.rating }),
          },
        ];
      }
      case 'dcf': {
        const classes = item.aspects.flatMap((a) => {
          const chosen = answer.classes?.[a.key];
          return chosen ? [{ aspect: a.key, class: chosen }] : [];
        });
        const count = (c: string) => classes.filter((x) => x.class === c).length;
        const atRisk = isEffortAtRisk({
          driver: count('driver'),
          constraint: count('constraint'),
          float: count('float'),
        });
        return [{ itemId: item.id, classes, atRisk }];
      }
    }
  });
}

/** Stored answers → the API's answer shape (to show a respondent their own answer). */
export function toAnswerInputs(
  definition: QuestionnaireDefinition,
  stored: readonly AnswerDoc[],
): AnswerInput[] {
  const items = new Map(itemsOf(definition).map((item) => [item.id, item]));
  return stored.flatMap((a): AnswerInput[] => {
    const item = items.get(a.itemId);
    if (!item) return [];
    if (item.kind === 'practice') {
      return [
        {
          itemId: a.itemId,
          ...(a.text ? { text: a.text } : {}),
          ...(a.value === undefined ? {} : { rating: a.value }),
        },
      ];
    }
    if (item.kind === 'dcf') {
      return [
        {
          itemId: a.itemId,
          classes: Object.fromEntries((a.classes ?? []).map((c) => [c.aspect, c.class])),
        },
      ];
    }
    return [
      {
        itemId: a.itemId,
        ...(a.cantSay ? { cantSay: true as const } : { value: a.value }),
        ...(a.desired === undefined ? {} : { desired: a.desired }),
        ...(item.kind === 'tension' && a.text ? { comment: a.text } : {}),
      },
    ];
  });
}

/**
 * A submitted form (field names from questionnaire.view-model: `<itemId>.value`, `.desired`,
 * `.text`, `.rating`, `<itemId>.<aspect>`) → the API's input shape, one answer per item in
 * questionnaire order. Numbers that are not numbers stay strings, so validation names them.
 */
export function formToInput(
  definition: QuestionnaireDefinition,
  form: Readonly<Record<string, string>>,
): unknown {
  const num = (key: string): unknown => {
    const raw = form[key];
    if (raw === undefined || raw === '' || raw === CANT_SAY) return undefined;
    return /^\d+$/.test(raw) ? Number(raw) : raw;
  };
  const cantSay = (key: string) => (form[key] === CANT_SAY ? true : undefined);
  const pasted = (text: string | undefined) =>
    text === undefined ? undefined : withoutInvisibleControls(text);
  const answers = itemsOf(definition).map((item) => {
    switch (item.kind) {
      case 'tension':
        return {
          itemId: item.id,
          value: num(`${item.id}.value`),
          cantSay: cantSay(`${item.id}.value`),
          // Who cannot say where the team is says nothing of where it should be either: a
          // desired point left checked from before is dropped with the current one.
          desired:
            item.askDesired && !cantSay(`${item.id}.value`) ? num(`${item.id}.desired`) : undefined,
          comment: pasted(form[`${item.id}.comment`]) || undefined,
        };
      case 'maturity':
        return {
          itemId: item.id,
          value: num(`${item.id}.value`),
          cantSay: cantSay(`${item.id}.value`),
        };
      case 'practice':
        return {
          itemId: item.id,
          text: pasted(form[`${item.id}.text`]),
          rating: item.rating ? num(`${item.id}.rating`) : undefined,
        };
      case 'dcf':
        return {
          itemId: item.id,
          classes: Object.fromEntries(
            item.aspects.flatMap((a) =>
              form[`${item.id}.${a.key}`] ? [[a.key, form[`${item.id}.${a.key}`]]] : [],
            ),
          ),
        };
    }
  });
  const name = form.respondentName;
  const role = form.respondentRole;
  return {
    answers: answers.map((a) =>
      Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)),
    ),
    ...(name ? { name } : {}),
    ...(role ? { role } : {}),
  };
}

/** Stored answers → the form's field values, to show a respondent their answer again. */
export function toFormValues(stored: readonly AnswerInput[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const a of stored) {
    if (a.value !== undefined) values[`${a.itemId}.value`] = String(a.value);
    if (a.cantSay) values[`${a.itemId}.value`] = CANT_SAY;
    if (a.desired !== undefined) values[`${a.itemId}.desired`] = String(a.desired);
    if (a.text !== undefined) values[`${a.itemId}.text`] = a.text;
    if (a.comment !== undefined) values[`${a.itemId}.comment`] = a.comment;
    if (a.rating !== undefined) values[`${a.itemId}.rating`] = String(a.rating);
    for (const [aspect, cls] of Object.entries(a.classes ?? {}))
      values[`${a.itemId}.${aspect}`] = cls;
  }
  return values;
}

/**
 * The form field an error path points at (`answers.3.value` → `<4th item>.value`), for the
 * page's error summary; null when it names no single field.
 */
export function fieldOfPath(definition: QuestionnaireDefinition, path: string): string | null {
  if (path === 'name') return 'respondentName';
  if (path === 'role') return 'respondentRole';
  const match =
    /^answers\.(\d+)\.(value|desired|text|comment|rating|classes\.([\w-]+)|itemId)$/.exec(path);
  const item = match ? itemsOf(definition)[Number(match[1])] : undefined;
  if (!match || !item) return null;
  if (match[3]) return `${item.id}.${match[3]}`;
  return match[2] === 'itemId' ? null : `${item.id}.${match[2]}`;
}
