import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ErrorBody } from './error-body';

/**
 * The OpenAPI 3.1 document of /api/v1, built from the same zod schemas that validate requests
 * (JSON Schema 2020-12 is OpenAPI 3.1's dialect), so the document cannot drift from the code.
 * Each feature declares its operations beside its routes and registers every route from its
 * operation (`route`), so a path is written once; src/openapi.ts assembles the features.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ApiOperation = Readonly<{
  method: Method;
  /** The full path under /api/v1, with `{name}` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Who may call it; `public` needs no token. */
  access: 'public' | 'viewer' | 'coach' | 'optional';
  parameters?: readonly ApiParameter[];
  requestBody?: Readonly<{ schema: string; description?: string }>;
  /** Its own answers; `openApiDocument` adds the ones every operation of its kind gives. */
  responses: Readonly<Record<number, ApiResponse>>;
  /** False for the few operations that never read the database (no 503). */
  database?: false;
}>;
export type ApiResponse = Readonly<{
  description: string;
  schema?: string;
  links?: readonly Link[];
}>;
/**
 * An OpenAPI link: how a value in this answer feeds another operation (a created round's id
 * into its report, a submitted answer's edit key into its revision), for clients and fuzzers.
 */
type Link = Readonly<{
  method: Method;
  path: string;
  parameters: Readonly<Record<string, string>>;
}>;
export type ApiParameter = Readonly<{
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: Record<string, unknown>;
}>;
type ComponentSchema = Readonly<{ schema: z.ZodType; io: 'input' | 'output' }>;

/** What one feature adds to the document: its operations and the schemas they name. */
export type ApiDescription = Readonly<{
  operations: readonly ApiOperation[];
  schemas: Readonly<Record<string, ComponentSchema>>;
}>;

/** The error answers, described once; an operation names the ones the common rule does not add. */
export const apiErrors = {
  400: { description: 'Invalid request: see `error.details`', schema: 'Error' },
  401: {
    description: 'No valid API token (`UNAUTHENTICATED`, `TOKEN_INVALID`, `TOKEN_EXPIRED`)',
    schema: 'Error',
  },
  403: { description: 'The token’s role does not allow this (`FORBIDDEN`)', schema: 'Error' },
  404: { description: 'Not found, or in another workspace', schema: 'Error' },
  409: { description: 'Conflicts with the current state; see `error.code`', schema: 'Error' },
  429: { description: 'Too many attempts; retry after `Retry-After` seconds', schema: 'Error' },
  413: { description: 'Request body too large', schema: 'Error' },
  503: { description: 'Database unreachable; retry after `Retry-After` seconds', schema: 'Error' },
} as const;

/**
 * The answers every operation of its kind can give, added to each so the document lists every
 * status the server sends: 400 for a bad parameter or body, 413 for a body over BODY_LIMIT,
 * 401/403 for tokens (an `optional` operation refuses a bad token too), 503 while the database
 * is unreachable. An operation's own entry wins.
 */
function withCommonResponses(op: ApiOperation): ApiOperation['responses'] {
  const common: [boolean, number, ApiResponse][] = [
    [Boolean(op.parameters?.length || op.requestBody), 400, apiErrors[400]],
    [op.access !== 'public', 401, apiErrors[401]],
    [op.access === 'coach', 403, apiErrors[403]],
    [Boolean(op.requestBody), 413, apiErrors[413]],
    [op.database !== false, 503, apiErrors[503]],
  ];
  return {
    ...Object.fromEntries(common.filter(([applies]) => applies).map(([, s, r]) => [s, r])),
    ...op.responses,
  };
}

export const linksTo = (
  targets: readonly (readonly [Method, string])[],
  parameters: Readonly<Record<string, string>>,
): Link[] => targets.map(([method, path]) => ({ method, path, parameters }));

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io });
  return json;
}

/** The JSON Schema of a parameter, from the zod schema that validates it. */
export const parameterSchema = (schema: z.ZodType) => jsonSchemaOf(schema, 'input');

/** A path parameter holding an id, e.g. `idParameter('roundId', 'round', RoundIdParams.shape.roundId)`. */
export const idParameter = (name: string, what: string, schema: z.ZodType): ApiParameter => ({
  name,
  in: 'path',
  required: true,
  description: `The ${what}'s id`,
  schema: parameterSchema(schema),
});

/**
 * Registers the handler of an operation on a router mounted at the API's root, at the
 * operation's own path (`{roundId}` becomes `:roundId`): the path is written once.
 */
export function route(router: Router, operation: ApiOperation, handler: RequestHandler): void {
  router.route(operation.path.replace(/\{(\w+)\}/g, ':$1'))[operation.method](handler);
}

/** getRoundsRoundIdReport for GET /rounds/{roundId}/report */
const operationIdOf = (method: Method, path: string) =>
  `${method}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The document of the features' operations, with the `Error` schema the common answers use. */
export function openApiDocument(features: readonly ApiDescription[]): Record<string, unknown> {
  const schemas: Record<string, ComponentSchema> = { Error: { schema: ErrorBody, io: 'output' } };
  for (const [name, entry] of features.flatMap((f) => Object.entries(f.schemas))) {
    // Two features naming one schema would send a $ref to the wrong one without a word.
    if (name in schemas) throw new Error(`The OpenAPI schema ${name} is declared twice`);
    schemas[name] = entry;
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of features.flatMap((f) => f.operations)) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: operationIdOf(op.method, op.path),
      ...(op.access === 'public'
        ? { security: [] }
        : op.access === 'optional'
          ? { security: [{}, { bearerAuth: [] }] }
          : {}),
      ...(op.parameters ? { parameters: op.parameters } : {}),
      ...(op.requestBody
        ? {
            requestBody: {
              required: true,
              description: op.requestBody.description,
              content: { 'application/json': { schema: ref(op.requestBody.schema) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(withCommonResponses(op)).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema ? { content: { 'application/json': { schema: ref(r.schema) } } } : {}),
            ...(r.links
              ? {
                  links: Object.fromEntries(
                    r.links.map((l) => [
                      operationIdOf(l.method, l.path),
                      { operationId: operationIdOf(l.method, l.path), parameters: l.parameters },
                    ]),
                  ),
                }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Teamlens API',
      version: '1',
      description:
        'Team self-assessments: questionnaires, rounds, responses and reports. Errors share one shape: `{"error": {code, message, details?, requestId}}`.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token (`tl_…`) from the account page or POST /auth/tokens; it acts in one workspace with at most its owner’s role, until it expires (401 `TOKEN_EXPIRED`) or is revoked.',
        },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, entry]) => [
          name,
          jsonSchemaOf(entry.schema, entry.io),
        ]),
      ),
    },
  };
}

/** What the API docs page shows: each operation with its parameters and schemas. */
export function apiDocsView(
  document: Record<string, unknown>,
  features: readonly ApiDescription[],
) {
  const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
  return {
    title: 'API',
    operations: features
      .flatMap((f) => f.operations)
      .map((op) => ({
        method: op.method.toUpperCase(),
        path: `/api/v1${op.path}`,
        anchor: `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-')}`,
        summary: op.summary,
        description: op.description,
        access: {
          public: 'No token needed',
          optional: 'Token optional: with one, the workspace’s own items too',
          viewer: 'Any member’s token (viewer or more)',
          coach: 'A coach’s or owner’s token',
        }[op.access],
        parameters: op.parameters ?? [],
        requestSchema: op.requestBody
          ? { name: op.requestBody.schema, json: schemas[op.requestBody.schema] }
          : null,
        responses: Object.entries(withCommonResponses(op)).map(([status, r]) => ({
          status,
          description: r.description,
          schema: r.schema,
        })),
      })),
    schemas: Object.entries(schemas).map(([name, entry]) => ({ name, json: entry })),
  };
}
