import { openApiDocument } from '../../../src/shared/http/openapi';
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

  it('adds the error answers every operation of its kind gives, and its own', () => {
    const statuses = (method: string, path: string) =>
      Object.keys(operation(method, path).responses as object);

    // A coach's write with a body: bad body, no token, too low a role, too large, no database.
    expect(statuses('post', '/things')).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '503']),
    );
    // A public read without the database: bad parameters only, and its own 404.
    expect(statuses('get', '/things/{thingId}').sort()).toEqual(['200', '400', '404']);
    // A viewer's operation: 401 but no 403.
    expect(statuses('post', '/things/{thingId}/touch').sort()).toEqual([
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

  it('says who may call it', () => {
    expect(operation('get', '/things/{thingId}').security).toEqual([]);
    expect(operation('post', '/things')).not.toHaveProperty('security');
  });
});
