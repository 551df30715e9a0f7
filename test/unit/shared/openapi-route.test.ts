import { z } from 'zod';
import { createApiRouter, openApiDocument, route } from '../../../src/shared/http/openapi';
import { thingsApi } from '../../support/things-api';

/** The operations route() declared for the small API of test/support/things-api.ts. */
const doc = openApiDocument(thingsApi({ answer: undefined, calls: 0 }).operations) as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const operation = (method: string, path: string) => doc.paths[path]![method]!;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('the OpenAPI operation route() documents', () => {
  it('lists the path and query parameters of its zod schemas, with their .describe() texts', () => {
    expect(operation('get', '/things/{thingId}').parameters).toEqual([
      {
        name: 'thingId',
        in: 'path',
        required: true,
        description: 'The thing’s id, four hex digits',
        schema: { type: 'string', pattern: '^[a-f0-9]{4}$' },
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'At most this many',
        schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 10 }) as unknown,
      },
    ]);
  });

  it('names its request body and answers as components, each schema listed once', () => {
    const create = operation('post', '/things');

    expect(create.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: ref('NewThing') } },
    });
    expect(create.responses).toMatchObject({
      201: {
        description: 'The new thing',
        content: { 'application/json': { schema: ref('Thing') } },
      },
    });
    expect(doc.components.schemas.NewThing).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    expect(doc.components.schemas.Thing).toMatchObject({
      type: 'object',
      required: ['id', 'name', 'owner'],
    });
  });

  it('documents a status without a body with no content', () => {
    expect(operation('delete', '/things/{thingId}').responses).toMatchObject({
      204: { description: 'Deleted' },
    });
    expect(operation('delete', '/things/{thingId}').responses).not.toHaveProperty('204.content');
  });

  it('describes an answer as its schema’s registration says, unless the operation says otherwise', () => {
    expect(operation('get', '/things/{thingId}').responses).toMatchObject({
      200: { description: 'The thing' },
    });
    expect(operation('post', '/things').responses).toMatchObject({
      201: { description: 'The new thing' },
    });
  });

  it('lists, per status, the error codes it declares, with their meaning from the table', () => {
    const read = operation('get', '/things/{thingId}').responses;

    expect(read).toMatchObject({
      404: {
        description:
          '`TEAM_NOT_FOUND`: No such team in this workspace; `ROUND_NOT_FOUND`: No such round in this workspace',
        content: { 'application/json': { schema: ref('Error') } },
      },
      // ROUND_CLOSED is 409 or 410: the operation chose 410.
      410: { description: '`ROUND_CLOSED`: The round is closed' },
    });
    expect(read).not.toHaveProperty('409');
    expect(operation('post', '/things').responses).toMatchObject({
      409: { description: '`TEAM_NAME_TAKEN`: A team with this name exists' },
      429: { description: expect.stringMatching(/^`RATE_LIMITED`: /) as unknown },
    });
  });

  it('adds the error answers every operation of its kind gives', () => {
    const statuses = (method: string, path: string) =>
      Object.keys(operation(method, path).responses as object).sort();

    // A coach's write with a body: bad body, no token, too low a role, too large, no database.
    expect(statuses('post', '/things')).toEqual([
      '201',
      '400',
      '401',
      '403',
      '409',
      '413',
      '429',
      '503',
    ]);
    // A public read without the database: bad parameters only, and its own.
    expect(statuses('get', '/things/{thingId}')).toEqual(['200', '400', '404', '410']);
    // A viewer's operation: 401 but no 403.
    expect(statuses('post', '/things/{thingId}/touch')).toEqual([
      '200',
      '202',
      '400',
      '401',
      '503',
    ]);
    expect(operation('post', '/things').responses).toMatchObject({
      403: { content: { 'application/json': { schema: ref('Error') } } },
    });
  });

  it('keeps the common meaning of a status for which the operation has codes of its own', () => {
    expect(operation('post', '/things/{thingId}/touch').responses).toMatchObject({
      401: {
        description: expect.stringMatching(
          /^No valid API token.*; `INVALID_CREDENTIALS`: /,
        ) as unknown,
      },
    });
  });

  it('says who may call it', () => {
    expect(operation('get', '/things/{thingId}').security).toEqual([]);
    expect(operation('post', '/things')).not.toHaveProperty('security');
  });
});

describe('route() refuses a declaration it could not document', () => {
  const declare = (spec: Partial<Parameters<typeof route>[1]>) => () =>
    route(
      createApiRouter(() => undefined),
      {
        method: 'get',
        path: '/x',
        tag: 'X',
        summary: 'X',
        access: 'public',
        responses: { 200: { description: 'Nothing' } },
        ...spec,
      },
      () => undefined,
    );

  it('an answer whose schema has no name', () => {
    expect(declare({ responses: { 200: z.object({}) } })).toThrow(/has no name/);
  });

  it('a code answered with two statuses, without saying which', () => {
    expect(declare({ errors: ['ROUND_CLOSED'] })).toThrow(
      /ROUND_CLOSED is answered with 409 or 410/,
    );
  });

  it('a status without a body and without a description', () => {
    expect(declare({ responses: { 204: {} as { description: string } } })).toThrow(
      /no description/,
    );
  });
});
