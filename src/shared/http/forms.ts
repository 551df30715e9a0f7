import type { Request, Response } from 'express';
import { AppError, TooManyRequestsError, ValidationError } from '../errors';
import { toFormErrors, type FormErrors, type FormField } from '../views/forms';

/** Failures a form shows on the same page, next to the user's values, instead of an error page. */
const FORM_STATUSES = new Set([400, 401, 409, 422, 429]);

/**
 * For a page controller's catch: the status and the errors to re-render its form with, or null
 * when the error is not about the form (a 404, a bug) and should reach the error page.
 */
export function formFailure(
  err: unknown,
  res: Response,
  fields: readonly FormField[],
): { status: number; errors: FormErrors } | null {
  if (err instanceof ValidationError)
    return { status: 400, errors: toFormErrors(err.details ?? [], fields) };
  // An error that names its fields is about the form, whatever its status (an unknown team
  // chosen in a select is a 404 to the API, and a mistake to correct on the page).
  if (err instanceof AppError && err.details?.length && err.status < 500)
    return { status: err.status, errors: toFormErrors(err.details, fields) };
  if (err instanceof AppError && FORM_STATUSES.has(err.status)) {
    if (err instanceof TooManyRequestsError)
      res.setHeader('Retry-After', String(err.retryAfterSeconds));
    return {
      status: err.status,
      errors: { summary: [{ message: err.message, href: null }], byField: {} },
    };
  }
  return null;
}

/** Addresses (or any list) typed into one field: one per line, or separated by commas or spaces. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);

/**
 * A form's fields without the CSRF token: what a page passes to a service, whose strict
 * schemas would refuse the unknown `_csrf` key. Only string fields are kept.
 */
export function formBody(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).flatMap(([key, value]) =>
      key !== '_csrf' && typeof value === 'string' ? [[key, value]] : [],
    ),
  );
}
