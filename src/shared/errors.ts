/** One problem with one field of a request: `path` is dotted (`answers.3.value`). */
export type FieldIssue = Readonly<{ path: string; message: string }>;

/**
 * An expected, operational failure: its message is written for the user and it is logged at
 * warn or below. Anything thrown that is not an AppError is a bug and becomes a 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(details: readonly FieldIssue[], message = 'The request has invalid fields.') {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code = 'UNAUTHENTICATED', message = 'Sign in to continue.') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', message = 'You are not allowed to do this.') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'NOT_FOUND', message = 'Not found.') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** The database (or another dependency) cannot be reached; the client should retry later. */
export class ServiceUnavailableError extends AppError {
  constructor(
    code = 'SERVICE_UNAVAILABLE',
    message = 'The service is unavailable right now. Try again shortly.',
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(503, code, message, undefined, options);
  }
}

/** Too many attempts: the client may try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many attempts. Wait a few minutes and try again.',
  ) {
    super(429, 'RATE_LIMITED', message);
  }
}
