import { z } from 'zod';

const Id = z.string().min(1).max(64);

export const RoundIdParams = z.object({ roundId: Id }).strict();
export const TeamIdParams = z.object({ teamId: Id }).strict();

export const ExportQuery = z
  .object({
    part: z
      .enum(['items', 'responses'])
      .default('items')
      .describe('Item statistics or raw answers'),
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
      .pipe(z.array(Id).max(100, 'Compare at most 100 rounds')),
    hideNames: z.enum(['true', 'false']).optional(),
    questionnaire: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('A questionnaire slug: the rounds must all use it'),
  })
  .strict();

export const TrendQuery = z
  .object({ questionnaire: z.string().min(1).max(64).optional() })
  .strict();

export const PdfQuery = z
  .object({ paper: z.enum(['a4', 'letter']).default('a4').describe('Paper size') })
  .strict();
