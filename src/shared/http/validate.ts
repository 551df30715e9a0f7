import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors';

/**
 * zod issues → our field issues; the root of the input is the path "(root)". A value of the
 * wrong kind says only that: zod also measures it against the checks of the right kind ("at
 * most 3 entries" of a text), which would only confuse.
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const pathOf = (issue: z.core.$ZodIssue) =>
    issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const wrongKind = new Set(issues.filter((i) => i.code === 'invalid_type').map(pathOf));
  return issues
    .filter((issue) => issue.code === 'invalid_type' || !wrongKind.has(pathOf(issue)))
    .map((issue) => ({ path: pathOf(issue), message: issue.message }));
}

const KINDS: Readonly<Record<string, string>> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object with named fields',
  date: 'a date',
};

const FORMATS: Readonly<Record<string, string>> = {
  email: 'This is not an e-mail address.',
  url: 'This is not a web address (http:// or https://).',
  datetime: 'Use a date and time like 2026-12-31T09:00:00Z.',
  date: 'Use a date like 2026-12-31.',
  regex: 'This is not in the expected form.',
};

const plural = (n: number | bigint, one: string, many: string) =>
  `${String(n)} ${Number(n) === 1 ? one : many}`;

/**
 * The message of a zod issue whose schema gave none, in words a person acts on: what is wrong
 * and what to give instead, never zod's own text ("Invalid input: expected array, received
 * string"). A schema's own message (`error:` in the schema) always wins over this one.
 */
export function humanMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'This is required.';
      return `Give ${KINDS[issue.expected] ?? 'another kind of value'} here.`;
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string')
        return Number(min) <= 1
          ? 'This cannot be empty.'
          : `Use at least ${plural(min, 'character', 'characters')}.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Give at least ${plural(min, 'entry', 'entries')}.`;
      return `Use ${issue.inclusive === false ? 'more than' : 'at least'} ${String(min)}.`;
    }
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string')
        return `Use at most ${plural(max, 'character', 'characters')}.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Give at most ${plural(max, 'entry', 'entries')}.`;
      return `Use ${issue.inclusive === false ? 'less than' : 'at most'} ${String(max)}.`;
    }
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'This is not in the expected form.';
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'This field is' : 'These fields are'} not known here: ${issue.keys.join(', ')}. Leave ${issue.keys.length === 1 ? 'it' : 'them'} out.`;
    case 'invalid_value':
      return `Choose one of: ${issue.values.map(String).join(', ')}.`;
    case 'not_multiple_of':
      return `Use a multiple of ${String(issue.divisor)}.`;
    case 'invalid_union':
      return 'This matches none of the accepted forms.';
    default:
      return 'This value is not valid here.';
  }
}

/**
 * Validates `value` against `schema` and returns the parsed, typed value; throws a
 * ValidationError that lists every problem. Handlers use the returned value, never `req.*`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { error: humanMessage });
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues));
  return result.data;
}
