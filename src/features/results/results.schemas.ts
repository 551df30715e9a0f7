import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';

export const ResultsLinkDto = z
  .object({
    roundId: z.string(),
    url: z
      .string()
      .describe(
        'The team’s read-only page of the round: anyone holding it sees the results, so share it as you would the results themselves',
      ),
    createdAt: z.iso.datetime(),
  })
  .strict()
  .register(apiSchemas, { id: 'ResultsLink', description: 'The round’s team results link' });

/** The results page's token: `<id>.<signature>` (checked by shared/signed-links.ts). */
export const ResultsToken = z.object({ token: z.string().min(1).max(100) }).strict();
