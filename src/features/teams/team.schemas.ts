import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { emailAddress } from '../../shared/email';
import { singleLineText } from '../../shared/text';
import { MAX_EXPECTED_SIZE, MAX_MEMBERS, MAX_TAG_LENGTH, MAX_TAGS } from './team.types';

const Name = singleLineText({
  max: 80,
  required: 'Enter a team name',
  tooLong: 'Use at most 80 characters',
});
const Tag = singleLineText({
  max: MAX_TAG_LENGTH,
  required: true,
  tooLong: `A tag has at most ${MAX_TAG_LENGTH} characters`,
});
const Tags = z
  .array(Tag)
  .max(MAX_TAGS, `A team has at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

/** Addresses kept with the team, to invite it by e-mail; each once, as first typed. */
const Members = z
  .array(emailAddress((input) => `“${input}” is not an e-mail address.`))
  .max(MAX_MEMBERS, `A team keeps at most ${MAX_MEMBERS} addresses`)
  .transform((emails) =>
    emails.filter(
      (e, i) => emails.findIndex((other) => other.toLowerCase() === e.toLowerCase()) === i,
    ),
  )
  .describe('E-mail addresses of the team’s members, to invite them to a round');

const ExpectedSize = z
  .number({ error: 'Enter the number of people in the team, e.g. 9' })
  .int('Enter a whole number of people')
  .min(1, 'A team has at least 1 person')
  .max(MAX_EXPECTED_SIZE, `Use at most ${MAX_EXPECTED_SIZE}`)
  .nullable()
  .describe('How many people the team has; null when unknown. Rounds then show a response rate');

export const CreateTeamInput = z
  .object({
    name: Name,
    tags: Tags.default([]),
    expectedSize: ExpectedSize.default(null),
    members: Members.default([]),
  })
  .strict()
  .register(apiSchemas, { id: 'CreateTeam' });

export const UpdateTeamInput = z
  .object({
    name: Name.optional(),
    tags: Tags.optional(),
    expectedSize: ExpectedSize.optional(),
    members: Members.optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, {
    message: 'Send at least one of name, tags, expectedSize, members, archived',
  })
  .register(apiSchemas, { id: 'UpdateTeam' });

export const TeamIdParams = z
  .object({ teamId: z.string().min(1).max(64).describe("The team's id") })
  .strict();

export const TeamListQuery = z
  .object({
    archived: z.enum(['true', 'false']).optional().describe('`true` to include archived teams'),
  })
  .strict();

export const TeamDto = z
  .object({
    id: z.string(),
    name: z.string(),
    tags: z.array(z.string()),
    expectedSize: z.number().int().nullable(),
    members: z
      .array(z.string())
      .optional()
      .describe('E-mail addresses kept to invite the team; for coaches and owners only'),
    archived: z.boolean(),
    createdAt: z.iso.datetime(),
    closedRounds: z
      .array(z.object({ id: z.string(), title: z.string() }).strict())
      .optional()
      .describe(
        'Only in the answer to a PATCH that archived the team: its open rounds, which archiving closed',
      ),
  })
  .strict()
  .register(apiSchemas, { id: 'Team', description: 'The team' });

export const TeamListDto = z
  .object({ items: z.array(TeamDto) })
  .strict()
  .register(apiSchemas, { id: 'TeamList', description: 'The teams' });
