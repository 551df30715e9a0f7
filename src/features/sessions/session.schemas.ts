import { z } from 'zod';
import { apiSchemas } from '../../shared/http/api-schemas';
import { CreateActionInput } from '../actions';
import { SESSION_STATES } from './session.types';

export const StepInput = z
  .object({
    index: z
      .number({ error: 'Give the step as a whole number' })
      .int('Give the step as a whole number')
      .min(0, 'Steps start at 0, the summary')
      .max(1000, 'There are not that many items')
      .describe('0: the summary; n: the n-th item in discuss-first order'),
  })
  .strict()
  .register(apiSchemas, { id: 'SessionStep' });

/**
 * An action agreed in the room: what the actions feature asks, on the item shown (the session
 * names the round and the item).
 */
export const RoomActionInput = CreateActionInput.pick({
  title: true,
  owner: true,
  dueOn: true,
  pole: true,
});

/** The presenter link's token, as the event stream takes it (EventSource sends no header). */
export const PresenterQuery = z
  .object({
    presenter: z
      .string()
      .max(80)
      .optional()
      .describe('The presenter link’s token (the last part of /present/{token})'),
  })
  .strict();

export const PresenterParams = z
  .object({ token: z.string().min(1).max(80).describe('The presenter link’s token') })
  .strict();

export const SessionDto = z
  .object({
    state: z.enum(SESSION_STATES),
    step: z
      .number()
      .int()
      .nullable()
      .describe('After the reveal: 0 the summary, n the n-th item in discuss-first order'),
    steps: z
      .number()
      .int()
      .nullable()
      .describe('After the reveal: how many items there are to step through'),
    itemId: z.string().nullable().describe('The item shown at this step; null for the summary'),
    n: z.number().int().describe('Answers so far'),
    expected: z.number().int().nullable(),
    kReached: z.boolean().describe('Anonymous rounds: whether the reveal is allowed'),
    missingForK: z.number().int().describe('Anonymous rounds: answers still needed for the reveal'),
    presenterUrl: z.string().describe('The shared screen’s page: no controls, no names'),
    startedAt: z.iso.datetime(),
  })
  .strict()
  .register(apiSchemas, {
    id: 'Session',
    description: 'The live session: its state, step and count',
  });
