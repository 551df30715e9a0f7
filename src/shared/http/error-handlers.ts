import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import Handlebars from 'handlebars';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError } from '../errors';
import { isDatabaseUnavailableError } from '../db/connect';

const messages = {
  internal: 'Something went wrong.',
  databaseUnavailable: 'The database is not reachable right now. Try again in a few seconds.',
  tooLarge: 'The request body is larger than this server accepts.',
  malformed: 'The request body could not be parsed.',
  unsupportedEncoding: 'The request body uses an encoding this server does not accept.',
  badRequest: 'The request could not be understood.',
} as const;

/** The shape of body-parser and http-errors failures (status, `expose`, a `type`, a `code`). */
type HttpLikeError = Error & {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  code?: unknown;
  expose?: unknown;
};

/**
 * The single place that turns anything thrown into an AppError. Known client mistakes keep a
 * 4xx and a stable code; an unreachable database is 503; everything else is a bug: 500 with a
 * generic message, the original kept as `cause` for the log only.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailableError(err)) {
    return new ServiceUnavailableError('DATABASE_UNAVAILABLE', messages.databaseUnavailable, 5, {
      cause: err,
    });
  }
  if (err instanceof Error) {
    const e = err as HttpLikeError;
    const status = typeof e.status === 'number' ? e.status : e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      switch (e.type) {
        case 'entity.too.large':
          return new AppError(413, 'PAYLOAD_TOO_LARGE', messages.tooLarge);
        case 'entity.parse.failed':
          return new AppError(400, 'MALFORMED_BODY', messages.malformed);
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return new AppError(415, 'UNSUPPORTED_ENCODING', messages.unsupportedEncoding);
        default:
          // CASE: middleware that says what went wrong with a stable code of ours (csrf-sync).
          if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) && e.expose === true) {
            return new AppError(status, e.code, e.message);
          }
          return new AppError(status, 'BAD_REQUEST', messages.badRequest);
      }
    }
  }
  return new AppError(500, 'INTERNAL', messages.internal, undefined, { cause: err });
}

/** The id pino-http assigned (see app.ts: always a string from requestIdFor). */
export function requestIdOf(req: Request): string {
  return typeof req.id === 'string' ? req.id : JSON.stringify(req.id);
}

/** Logs bugs with their stack (pino-http reads `res.err`) and sets the headers an error needs. */
function prepare(err: unknown, res: Response): AppError {
  const appError = toAppError(err);
  if (appError.status >= 500) res.err = err instanceof Error ? err : new Error(String(err));
  if (appError instanceof ServiceUnavailableError || appError instanceof TooManyRequestsError) {
    res.setHeader('Retry-After', String(appError.retryAfterSeconds));
  }
  return appError;
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError('ROUTE_NOT_FOUND', `There is no API route ${req.method} ${req.path}.`));
};

/** Errors under /api/v1: `{"error": {code, message, details?, requestId}}`. */
export const apiErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const appError = prepare(err, res);
  res.status(appError.status).json({
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
      requestId: requestIdOf(req),
    },
  });
};

export const pageNotFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('PAGE_NOT_FOUND', 'There is no page at this address.'));
};

/** Errors on pages: a friendly page with the request id; a minimal escaped page if that fails. */
export const pageErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const appError = prepare(err, res);
  const requestId = requestIdOf(req);
  const view = appError.status === 404 ? 'errors/not-found' : 'errors/error';
  res.status(appError.status);
  res.render(
    view,
    {
      title: titleFor(appError.status),
      message: appError.message,
      status: appError.status,
      requestId,
    },
    (renderError, html) => {
      if (renderError) {
        res.err = renderError;
        res
          .type('html')
          .send(
            `<!doctype html><title>Error</title><p>${Handlebars.escapeExpression(appError.message)}</p><p>Request id: ${Handlebars.escapeExpression(requestId)}</p>`,
          );
        return;
      }
      res.send(html);
    },
  );
};

function titleFor(status: number): string {
  if (status === 404) return 'Page not found';
  if (status === 410) return 'This round is closed';
  if (status === 503) return 'Temporarily unavailable';
  if (status === 403) return 'Not allowed';
  if (status === 429) return 'Too many attempts';
  if (status >= 500) return 'Something went wrong';
  return 'This request could not be handled';
}
