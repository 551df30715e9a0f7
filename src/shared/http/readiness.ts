import type { RequestHandler } from 'express';

/**
 * The one readiness gate: a request that may touch the database waits here until the database
 * is prepared (unique indexes that hold product rules, built-in questionnaires, a layout move;
 * shared/db/preparation.ts), so no service has to remember to wait, and none can forget. While
 * the database is away, preparing fails with its error, which the error handlers answer with
 * 503, and the next request tries again. Static files, health checks and the OpenAPI document
 * come before it and never wait.
 */
export function awaitPreparation(ready: () => Promise<void>): RequestHandler {
  return async (_req, _res, next) => {
    await ready();
    next();
  };
}
