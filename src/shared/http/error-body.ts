import { z } from 'zod';

/** The one JSON shape of every API error (documented in OpenAPI; see error-handlers.ts). */
export const ErrorBody = z
  .object({
    error: z
      .object({
        code: z.string().describe('Stable, UPPER_SNAKE error code, e.g. VALIDATION_FAILED'),
        message: z.string().describe('A human message, safe to show'),
        details: z
          .array(z.object({ path: z.string(), message: z.string() }).strict())
          .optional()
          .describe('One entry per invalid field, with its dotted path'),
        requestId: z.string().describe('Also sent as the X-Request-Id header'),
      })
      .strict(),
  })
  .strict();
