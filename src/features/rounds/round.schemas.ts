import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { singleLineText } from '../../shared/text';
import { ANONYMITY_MODES, ROUND_ACCESS, ROUND_STATUSES } from './round.types';

export const MIN_ANONYMOUS_GROUP = 3;

const Id = z.string().min(1).max(64);

/** Title and closing date: one rule for a new round and for its correction. */
const Title = singleLineText({ max: 120, required: 'Enter a title' });
const ClosesAt = z.iso
  .datetime({ offset: true, error: 'Use a date and time such as 2026-12-31T17:00:00Z' })
  .describe('When the round stops accepting answers; it must be in the future');

export const CreateRoundInput = z
  .object({
    teamId: z.string().min(1, 'Choose a team').max(64).describe('The team that answers'),
    questionnaire: z
      .object({
        slug: z.string().min(1, 'Choose a questionnaire').max(64),
        version: z.number().int().min(1).optional().describe('Default: the latest version'),
      })
      .strict(),
    title: Title,
    anonymity: z.enum(ANONYMITY_MODES).default('anonymous'),
    access: z
      .enum(ROUND_ACCESS)
      .default('link')
      .describe(
        '`link`: anyone holding the round’s link answers. `invited`: only a personal invitation link starts a response, each once (needs invitations by e-mail)',
      ),
    minGroupSize: z
      .number()
      .int('Use a whole number')
      .min(1)
      .max(50, 'Use at most 50')
      .default(MIN_ANONYMOUS_GROUP)
      .describe(`Minimum group size k; at least ${MIN_ANONYMOUS_GROUP} for anonymous rounds`),
    closesAt: ClosesAt.optional(),
  })
  .strict()
  .superRefine((round, ctx) => {
    if (round.anonymity === 'anonymous' && round.minGroupSize < MIN_ANONYMOUS_GROUP) {
      ctx.addIssue({
        code: 'custom',
        path: ['minGroupSize'],
        message: `An anonymous round needs a minimum group size of at least ${MIN_ANONYMOUS_GROUP}`,
      });
    }
  })
  .register(apiSchemas, { id: 'CreateRound' });

export const UpdateRoundInput = z
  .object({
    title: Title.optional(),
    closesAt: ClosesAt.nullable()
      .optional()
      .describe('A new closing date in the future; null: open until a coach closes it'),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send title or closesAt' })
  .register(apiSchemas, { id: 'UpdateRound' });

export const RoundIdParams = z.object({ roundId: Id.describe("The round's id") }).strict();

export const RoundListQuery = z
  .object({
    teamId: Id.optional().describe('Only this team’s rounds'),
    status: z.enum(ROUND_STATUSES).optional().describe('Only rounds stored with this status'),
  })
  .strict();

export const RoundDto = z
  .object({
    id: z.string(),
    teamId: z.string(),
    title: z.string(),
    questionnaire: z
      .object({ slug: z.string(), version: z.number().int(), title: z.string() })
      .strict(),
    anonymity: z.enum(ANONYMITY_MODES),
    access: z.enum(ROUND_ACCESS),
    minGroupSize: z.number().int(),
    status: z.enum(ROUND_STATUSES).describe('An open round past its closing date reads as closed'),
    closesAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    openedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    responseCount: z.number().int(),
    expected: z.number().int().nullable().describe('The team’s expected size; null when unknown'),
    responseRate: z
      .number()
      .nullable()
      .describe('responseCount / expected (above 1 when more answered); null when unknown'),
    link: z
      .object({ token: z.string(), path: z.string() })
      .strict()
      .optional()
      .describe('The respondents’ link: only for coaches and owners'),
  })
  .strict()
  .register(apiSchemas, { id: 'Round', description: 'The round' });

export const RoundListDto = z
  .object({ items: z.array(RoundDto) })
  .strict()
  .register(apiSchemas, { id: 'RoundList', description: 'The rounds' });
