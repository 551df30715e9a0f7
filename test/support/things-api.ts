import { z } from 'zod';
import { apiRouter } from '../../src/features/accounts';
import { apiSchemas } from '../../src/shared/http/api-schemas';
import { reply, route } from '../../src/shared/http/openapi';

/**
 * A small API declared with `route()`, for the tests of route() itself: a public read with
 * params and query, a coach's write with a body, a delete without an answer body, and an
 * operation that picks its status. Each handler answers what the test put in `state`.
 */
export const ThingParams = z
  .object({
    thingId: z
      .string()
      .regex(/^[a-f0-9]{4}$/)
      .describe('The thing’s id, four hex digits'),
  })
  .strict();
export const ThingQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(10).optional().describe('At most this many'),
  })
  .strict();
export const NewThing = z
  .object({ name: z.string().min(1) })
  .strict()
  .register(apiSchemas, { id: 'NewThing' });
export const ThingDto = z
  .object({ id: z.string(), name: z.string(), owner: z.object({ name: z.string() }).strict() })
  .strict()
  .register(apiSchemas, { id: 'Thing', description: 'The thing' });

/** What the handlers answer next, and what they were called with. */
export type ThingsState = { answer: unknown; calls: number; received?: unknown };

export function thingsApi(state: ThingsState) {
  const api = apiRouter();
  const answer = ({ params, query, body }: { params: unknown; query: unknown; body: unknown }) => {
    state.calls += 1;
    state.received = { params, query, body };
    return state.answer;
  };

  route(
    api,
    {
      method: 'get',
      path: '/things/{thingId}',
      tag: 'Things',
      access: 'public',
      summary: 'Get a thing',
      params: ThingParams,
      query: ThingQuery,
      responses: { 200: ThingDto },
      errors: ['TEAM_NOT_FOUND', 'ROUND_NOT_FOUND', ['ROUND_CLOSED', 410]],
      database: false,
    },
    answer,
  );
  route(
    api,
    {
      method: 'post',
      path: '/things',
      tag: 'Things',
      access: 'coach',
      summary: 'Create a thing',
      body: NewThing,
      responses: { 201: { body: ThingDto, description: 'The new thing' } },
      errors: ['TEAM_NAME_TAKEN', 'RATE_LIMITED'],
    },
    answer,
  );
  route(
    api,
    {
      method: 'delete',
      path: '/things/{thingId}',
      tag: 'Things',
      access: 'coach',
      summary: 'Delete a thing',
      params: ThingParams,
      responses: { 204: { description: 'Deleted' } },
    },
    answer,
  );
  route(
    api,
    {
      method: 'post',
      path: '/things/{thingId}/touch',
      tag: 'Things',
      access: 'viewer',
      summary: 'Touch a thing: 200 with it, or 202 without a body',
      params: ThingParams,
      responses: { 200: ThingDto, 202: { description: 'Later' } },
      errors: ['INVALID_CREDENTIALS'],
    },
    (input) => {
      const { status, body } = answer(input) as { status: number; body?: unknown };
      return reply(status, body);
    },
  );
  return api;
}
