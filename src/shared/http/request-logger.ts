import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

/**
 * One log line per request, at a level by outcome (>=500 error with the stack, >=400 warn,
 * else info), carrying the request id that is also echoed in the X-Request-Id header.
 * Health probes are not logged: they would drown everything else.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdFor(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel: (_req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    serializers: {
      // Method and path only: query strings and bodies can carry answers or tokens, and
      // the secret part of a respondent or invitation link is replaced.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: redactPath(req.url.split('?')[0] ?? ''),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Paths whose last segments are secrets (link tokens) lose them in logs. */
export function redactPath(path: string): string {
  return path
    .replace(/(^|\/api\/v1)\/r\/[^/]+/, '$1/r/:token')
    .replace(/^\/invitations\/[^/]+/, '/invitations/:token');
}
