import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every log line. Free-text answers are personal data, so request
 * bodies are never logged at all (pino-http logs none); these cover headers that carry secrets.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
] as const;

export function createLogger(options: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      base: { service: 'teamlens' },
    },
    options.destination,
  );
}
