import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors';

/** zod issues → our field issues; the root of the input is the path "(root)". */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/**
 * Validates `value` against `schema` and returns the parsed, typed value; throws a
 * ValidationError that lists every problem. Handlers use the returned value, never `req.*`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues));
  return result.data;
}
