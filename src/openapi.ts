import { z } from 'zod';
import {
  QuestionnaireDefinition,
  QuestionnaireListDto,
  QuestionnaireVersionDto,
  ValidationResultDto,
} from './features/questionnaires';
import { ErrorBody } from './shared/http/error-body';

/**
 * The OpenAPI 3.1 document of /api/v1, built from the same zod schemas that validate requests
 * (JSON Schema 2020-12 is OpenAPI 3.1's dialect), so the document cannot drift from the code.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation = Readonly<{
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  parameters?: readonly Parameter[];
  requestBody?: Readonly<{ schema: string; description?: string }>;
  responses: Readonly<Record<number, Readonly<{ description: string; schema?: string }>>>;
}>;
type Parameter = Readonly<{
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: Record<string, unknown>;
}>;

const SCHEMAS: Readonly<Record<string, Readonly<{ schema: z.ZodType; io: 'input' | 'output' }>>> = {
  Error: { schema: ErrorBody, io: 'output' },
  QuestionnaireDefinition: { schema: QuestionnaireDefinition, io: 'input' },
  QuestionnaireList: { schema: QuestionnaireListDto, io: 'output' },
  QuestionnaireVersion: { schema: QuestionnaireVersionDto, io: 'output' },
  ValidationResult: { schema: ValidationResultDto, io: 'output' },
};

const slugParameter: Parameter = {
  name: 'slug',
  in: 'path',
  required: true,
  description: 'The questionnaire slug',
  schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
};

const errors = {
  400: { description: 'Invalid request: see `error.details`', schema: 'Error' },
  404: { description: 'Not found', schema: 'Error' },
  413: { description: 'Request body too large', schema: 'Error' },
  503: { description: 'Database unreachable; retry after `Retry-After` seconds', schema: 'Error' },
} as const;

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/questionnaires',
    tag: 'Questionnaires',
    summary: 'List the library',
    description: 'The latest version of every built-in questionnaire.',
    responses: {
      200: { description: 'The library', schema: 'QuestionnaireList' },
      503: errors[503],
    },
  },
  {
    method: 'get',
    path: '/questionnaires/schema.json',
    tag: 'Questionnaires',
    summary: 'The questionnaire format as JSON Schema',
    description:
      'JSON Schema 2020-12 of a questionnaire definition. Point `$schema` of a definition file at this URL to get validation and completion in an editor.',
    responses: { 200: { description: 'A JSON Schema document' } },
  },
  {
    method: 'post',
    path: '/questionnaires/validate',
    tag: 'Questionnaires',
    summary: 'Validate a definition without storing it',
    description:
      'Always answers 200 for a JSON body: `valid` is false and `errors` lists every problem with its dotted path. Only a body that is not JSON (400) or too large (413) is an error.',
    requestBody: { schema: 'QuestionnaireDefinition', description: 'The definition to check' },
    responses: {
      200: { description: 'The verdict', schema: 'ValidationResult' },
      400: errors[400],
      413: errors[413],
    },
  },
  {
    method: 'get',
    path: '/questionnaires/{slug}',
    tag: 'Questionnaires',
    summary: 'Get one version of a questionnaire',
    parameters: [
      slugParameter,
      {
        name: 'version',
        in: 'query',
        required: false,
        description: 'A version number; the latest when omitted',
        schema: { type: 'integer', minimum: 1 },
      },
    ],
    responses: {
      200: {
        description: 'The definition with its version history',
        schema: 'QuestionnaireVersion',
      },
      400: errors[400],
      404: errors[404],
      503: errors[503],
    },
  },
];

function jsonSchemaOf(entry: Readonly<{ schema: z.ZodType; io: 'input' | 'output' }>) {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(entry.schema, { io: entry.io });
  return schema;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
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
        Object.entries(op.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema ? { content: { 'application/json': { schema: ref(r.schema) } } } : {}),
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
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(SCHEMAS).map(([name, entry]) => [name, jsonSchemaOf(entry)]),
      ),
    },
  };
}

/** What the API docs page shows: each operation with its parameters and schemas. */
export function toApiDocsView(document: Record<string, unknown>) {
  const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
  return {
    title: 'API',
    operations: OPERATIONS.map((op) => ({
      method: op.method.toUpperCase(),
      path: `/api/v1${op.path}`,
      anchor: `${op.method}-${op.path.replace(/[^a-z0-9]+/gi, '-')}`,
      summary: op.summary,
      description: op.description,
      parameters: op.parameters ?? [],
      requestSchema: op.requestBody
        ? { name: op.requestBody.schema, json: schemas[op.requestBody.schema] }
        : null,
      responses: Object.entries(op.responses).map(([status, r]) => ({
        status,
        description: r.description,
        schema: r.schema,
      })),
    })),
    schemas: Object.entries(schemas).map(([name, json]) => ({ name, json })),
  };
}
