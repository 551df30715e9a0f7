import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { multiLineText, singleLineText } from '../../shared/text';
import { ITEM_KINDS } from '../questionnaires';
import { ACTION_STATUSES, POLES } from './action.types';

const Id = z.string().min(1).max(64);

const Title = singleLineText({
  max: 200,
  required: 'Say what the team will do',
  tooLong: 'Use at most 200 characters',
});

/** An empty owner is "nobody named", stored as null. */
const Owner = singleLineText({ max: 80, tooLong: 'Use at most 80 characters' })
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .describe('A name, or "the team"; free text');

/** A real calendar day: 2027-02-30 is refused, not moved to March. */
const DueOn = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2027-03-31')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
  }, 'Use a real date, such as 2027-03-31')
  .refine((day) => day >= '2000-01-01' && day <= '2099-12-31', 'Use a date between 2000 and 2099')
  .nullable()
  .describe('The day it is due (YYYY-MM-DD); overdue from the next day on');

const Notes = multiLineText({ max: 2000, tooLong: 'Use at most 2,000 characters' });
const Status = z.enum(ACTION_STATUSES, { error: 'Choose open, done or dropped' });
const PoleField = z
  .enum(POLES, { error: 'Choose the left or the right pole' })
  .nullable()
  .describe('Tensions only: the pole the team wants to move towards');

export const CreateActionInput = z
  .object({
    sourceRoundId: Id.describe('The round the action came from: a round of this team'),
    itemId: Id.nullable()
      .default(null)
      .describe('An item of that round’s questionnaire that the action targets'),
    pole: PoleField.default(null),
    title: Title,
    owner: Owner.default(null),
    dueOn: DueOn.default(null),
    notes: Notes.default(''),
    status: Status.default('open'),
  })
  .strict()
  .register(apiSchemas, { id: 'CreateAction' });

export const UpdateActionInput = z
  .object({
    title: Title.optional(),
    owner: Owner.optional(),
    dueOn: DueOn.optional(),
    notes: Notes.optional(),
    status: Status.optional(),
    pole: PoleField.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, {
    message: 'Send at least one of title, owner, dueOn, notes, status, pole',
  })
  .register(apiSchemas, { id: 'UpdateAction' });

export const ActionIdParams = z.object({ actionId: Id.describe("The action's id") }).strict();
export const TeamActionsParams = z.object({ teamId: Id.describe("The team's id") }).strict();

export const ActionDto = z
  .object({
    id: z.string(),
    teamId: z.string(),
    sourceRoundId: z.string(),
    itemId: z.string().nullable(),
    pole: z.enum(POLES).nullable(),
    title: z.string(),
    owner: z.string().nullable(),
    dueOn: z.iso.date().nullable(),
    status: z.enum(ACTION_STATUSES),
    overdue: z.boolean().describe('Open and past its due day'),
    notes: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .register(apiSchemas, { id: 'Action', description: 'The action' });

export const ActionListDto = z
  .object({ items: z.array(ActionDto) })
  .strict()
  .register(apiSchemas, { id: 'ActionList', description: 'The actions' });

/** The new-action page's query: the round (and item) a report's link comes from. */
export const NewActionQuery = z.object({ round: Id.optional(), item: Id.optional() }).strict();

/** An action as a round report, its summary and the trend show it. */
export const ActionBriefDto = z
  .object({
    id: z.string(),
    title: z.string(),
    owner: z.string().nullable(),
    dueOn: z.iso.date().nullable(),
    status: z.enum(ACTION_STATUSES),
    overdue: z.boolean(),
    notes: z.string(),
    pole: z.enum(POLES).nullable(),
    sourceRound: z.object({ id: z.string(), title: z.string() }).strict(),
    item: z
      .object({
        id: z.string(),
        number: z.number().int(),
        kind: z.enum(ITEM_KINDS),
        title: z.string(),
        left: z.string().nullable(),
        right: z.string().nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();
