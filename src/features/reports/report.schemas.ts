import { z } from 'zod';

const Id = z.string().min(1).max(64);

export const RoundIdParams = z.object({ roundId: Id.describe("The round's id") }).strict();
export const TeamIdParams = z.object({ teamId: Id.describe("The team's id") }).strict();

export const ExportQuery = z
  .object({
    part: z
      .enum(['items', 'responses'])
      .default('items')
      .describe('`items` (default) or `responses`'),
  })
  .strict();

/**
 * `rounds` as one comma-separated value (`?rounds=a,b`) or repeated keys (`?rounds=a&rounds=b`,
 * which a form with one select per team sends); empty choices are dropped.
 */
export const CompareQuery = z
  .object({
    rounds: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) =>
        (Array.isArray(value) ? value : (value ?? '').split(','))
          .map((v) => v.trim())
          .filter(Boolean),
      )
      .pipe(z.array(Id).max(100, 'Compare at most 100 rounds'))
      .describe('Round ids, comma-separated (or repeated), at most 100; none gives no teams'),
    hideNames: z.enum(['true', 'false']).optional().describe('`true` for neutral team labels'),
    questionnaire: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('A questionnaire slug: the rounds must all use it'),
  })
  .strict();

export const TrendQuery = z
  .object({ questionnaire: z.string().min(1).max(64).optional().describe('A questionnaire slug') })
  .strict();

export const PdfQuery = z
  .object({ paper: z.enum(['a4', 'letter']).default('a4').describe('Paper size') })
  .strict();
