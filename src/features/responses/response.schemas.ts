import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { multiLineText, singleLineText } from '../../shared/text';
import { DCF_CLASSES } from '../questionnaires';

/** The link token of a round, as it appears in /r/<token> (see rounds: 24 random bytes). */
/** A round's link token: 40 characters of Crockford's base 32, or 32 of base64url (links made before). */
export const LinkToken = z
  .string()
  .regex(/^(?:[0-9a-hjkmnp-tv-z]{40}|[A-Za-z0-9_-]{32})$/, 'This link is not valid');
export const LinkTokenParams = z
  .object({ token: LinkToken.describe('The link token of the round (the end of its /r/ link)') })
  .strict();

/** The respondent's own random key (cookie, hidden field or X-Edit-Key header). */
export const RespondentKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This edit key is not valid');

/**
 * One answer, as the API receives it (DESIGN.md): `{itemId, value, desired?, comment?}` for
 * tension (the comment is the optional "why?"), `{itemId, value}` for maturity, `{itemId, text, rating?}` for practice, `{itemId, classes}` for dcf;
 * `{itemId, cantSay: true}` instead of a value answers "can't say" on tension and maturity. Which fields
 * an item accepts, and their ranges, depend on the questionnaire: see answers.ts.
 */
export const AnswerInput = z
  .object({
    itemId: z.string().min(1).max(64),
    value: z.number().int('Use a whole number').optional(),
    desired: z.number().int('Use a whole number').optional(),
    text: multiLineText({ max: 5000, trim: false }).optional(),
    comment: multiLineText({ max: 5000, trim: false })
      .optional()
      .describe('Tensions: why, in a few words (optional)'),
    cantSay: z
      .literal(true, { error: 'Send cantSay: true, or leave it out.' })
      .optional()
      .describe('Tensions and maturity: "can\'t say", instead of a value; counted apart'),
    rating: z.number().int('Use a whole number').optional(),
    classes: z.record(z.string().max(48), z.enum(DCF_CLASSES)).optional(),
  })
  .strict();

export const ResponseInput = z
  .object({
    answers: z.array(AnswerInput).max(200),
    name: singleLineText({ max: 80 }).optional().describe('Named rounds: the respondent’s name'),
    role: singleLineText({ max: 80 }).optional().describe('Named rounds: an optional role'),
  })
  .strict()
  .register(apiSchemas, { id: 'ResponseInput' });

export type AnswerInput = z.output<typeof AnswerInput>;
export type ResponseInput = z.output<typeof ResponseInput>;

/* Response shapes, for the OpenAPI document and the tests. */
export const RespondentRoundDto = z
  .object({
    round: z
      .object({
        title: z.string(),
        teamName: z.string(),
        anonymity: z.enum(['anonymous', 'named']),
        access: z
          .enum(['link', 'invited'])
          .describe('`invited`: only a personal invitation link (`X-Invitation`) starts an answer'),
        closesAt: z.iso.datetime().nullable(),
      })
      .strict(),
    questionnaire: z.record(z.string(), z.unknown()).describe('The QuestionnaireDefinition'),
  })
  .strict()
  .register(apiSchemas, { id: 'RespondentRound', description: 'The round and questionnaire' });

export const SubmittedDto = z
  .object({
    editKey: z.string().describe('Send as X-Edit-Key to revise the answer; shown only now'),
    day: z.string().describe('The day of the answer (no time is stored)'),
  })
  .strict()
  .register(apiSchemas, { id: 'Submitted', description: 'Stored' });

export const StoredAnswersDto = z
  .object({
    answers: z.array(AnswerInput),
    name: z.string().optional(),
    role: z.string().optional(),
    day: z.string(),
  })
  .strict()
  .register(apiSchemas, { id: 'StoredAnswers', description: 'The answer' });
