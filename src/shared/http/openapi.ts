import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { apiSchemas } from './api-schemas';
import { ErrorBody } from './error-body';
import { errorCodes, type ErrorCode } from './error-codes';
import { parseInput } from './validate';

/**
 * The OpenAPI 3.1 document of /api/v1, built from the same zod schemas that validate requests
 * (JSON Schema 2020-12 is OpenAPI 3.1's dialect), so the document cannot drift from the code.
 * Each feature declares its operations where it registers them (`route`): the declaration
 * validates the request, guards the role, shapes the answer and is the operation's document.
 * src/openapi.ts lists the features' API routers once, for mounting and for the document.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call an operation; `public` needs no token, `optional` reads one when sent. */
export type Access = 'public' | 'optional' | 'viewer' | 'coach';

/**
 * A zod schema with the name it has under the document's `components.schemas` (api-schemas.ts):
 * requests and answers refer to it by `$ref`, so clients and fuzzers see one schema under one
 * name.
 */
type NamedSchema = Readonly<{ name: string; schema: z.ZodType }>;
function namedSchema(schema: z.ZodType, where: string): NamedSchema & { description?: string } {
  const meta = apiSchemas.get(schema);
  if (!meta) throw new Error(`${where}: its schema has no name (register it in apiSchemas)`);
  return { name: meta.id, schema, ...(meta.description ? { description: meta.description } : {}) };
}

/**
 * A success answer: its schema (its JSON passes through it on the way out, described as the
 * schema's registration says), or the schema with the operation's own description and links;
 * without a body (a file, a 204), a description alone.
 */
export type SuccessSpec =
  | z.ZodType
  | Readonly<{ body: z.ZodType; description?: string; links?: readonly Link[] }>
  | Readonly<{ body?: undefined; description: string; links?: readonly Link[] }>;

/**
 * The request body. An API body is checked here, at the edge, before the handler runs; with
 * `checkedBy: 'handler'` the route only documents it and hands the raw body on, for the
 * operations whose answer to a bad body is not a plain 400 (a verdict, or every problem of a
 * form found in one pass with the rules beyond its shape).
 */
type BodySpec =
  z.ZodType | Readonly<{ schema: z.ZodType; description?: string; checkedBy?: 'handler' }>;

/**
 * An error the operation may answer beyond the ones every operation of its kind gives: its code,
 * with its status from the table of error codes (error-codes.ts), or the status chosen where a
 * code has two.
 */
export type ErrorSpec = ErrorCode | readonly [ErrorCode, number];

type ObjectSchema = z.ZodObject;

/**
 * A route's declaration: its document, its validator and its guard (STYLE.md, section 8).
 * `params` and `query` are zod objects whose fields' `.describe()` texts document them;
 * `errors` lists the codes of the error answers beyond the ones every operation of its kind
 * gives.
 */
export type RouteSpec<
  A extends Access = Access,
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends BodySpec | undefined = BodySpec | undefined,
  R extends Readonly<Record<number, SuccessSpec>> = Readonly<Record<number, SuccessSpec>>,
> = Readonly<{
  method: Method;
  /** The full path under /api/v1, with `{name}` for a path parameter. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: A;
  params?: P;
  query?: Q;
  /** Headers the handler reads itself (`req.get`), documented by hand. */
  headers?: readonly ApiParameter[];
  body?: B;
  responses: R;
  errors?: readonly ErrorSpec[];
  /** False for the few operations that never read the database (no 503). */
  database?: false;
}>;

/** One operation as the document describes it (see `route`). */
export type ApiOperation = Readonly<{
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  parameters: readonly ApiParameter[];
  requestBody?: Readonly<{ name: string; description?: string }>;
  /** Its own answers; `openApiDocument` adds the ones every operation of its kind gives. */
  responses: Readonly<Record<number, ApiResponse>>;
  /** The schemas it names, with the direction they are read in. */
  schemas: readonly (readonly [string, ComponentSchema])[];
  database?: false;
}>;
type ApiResponse = Readonly<{ description: string; schema?: string; links?: readonly Link[] }>;
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

/** The error answers every operation of its kind gives, described once. */
const commonErrors = {
  400: 'Invalid request: see `error.details`',
  401: 'No valid API token (`UNAUTHENTICATED`, `TOKEN_INVALID`, `TOKEN_EXPIRED`)',
  403: 'The token’s role does not allow this (`FORBIDDEN`)',
  413: 'Request body too large',
  503: 'Database unreachable; retry after `Retry-After` seconds',
} as const;
const errorAnswer = (description: string): ApiResponse => ({ description, schema: 'Error' });

/**
 * An operation's own error answers, one per status, each listing its codes with their meaning
 * from the table of error codes.
 */
function errorAnswers(errors: readonly ErrorSpec[], where: string): ApiOperation['responses'] {
  const byStatus = new Map<number, string[]>();
  for (const error of errors) {
    const [code, chosen] = typeof error === 'string' ? [error, undefined] : error;
    const meanings: Readonly<Partial<Record<number, string>>> = errorCodes[code];
    const statuses = Object.keys(meanings).map(Number);
    const status = chosen ?? (statuses.length === 1 ? statuses[0]! : NaN);
    const meaning = meanings[status];
    if (meaning === undefined)
      throw new Error(`${where}: ${code} is answered with ${statuses.join(' or ')}: name which`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), `\`${code}\`: ${meaning}`]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, lines]) => [status, errorAnswer(lines.join('; '))]),
  );
}

/**
 * The answers every operation of its kind can give, added to each so the document lists every
 * status the server sends: 400 for a bad parameter or body, 413 for a body over BODY_LIMIT,
 * 401/403 for tokens (an `optional` operation refuses a bad token too), 503 while the database
 * is unreachable. Where an operation has codes of its own under one of these statuses, its
 * description follows the common one.
 */
function withCommonResponses(op: ApiOperation): ApiOperation['responses'] {
  const common: [boolean, keyof typeof commonErrors][] = [
    [Boolean(op.parameters.length || op.requestBody), 400],
    [op.access !== 'public', 401],
    [op.access === 'coach', 403],
    [Boolean(op.requestBody), 413],
    [op.database !== false, 503],
  ];
  const commonAnswers = common
    .filter(([applies]) => applies)
    .map(([, s]) => {
      const own = op.responses[s]?.description;
      return [s, errorAnswer(own ? `${commonErrors[s]}; ${own}` : commonErrors[s])] as const;
    });
  return { ...op.responses, ...Object.fromEntries(commonAnswers) };
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

/**
 * The parameters of a zod object, one per field: required unless optional, described by the
 * field's `.describe()` (which the parameter carries, not its schema).
 */
function parametersOf(where: 'path' | 'query', object: ObjectSchema | undefined): ApiParameter[] {
  const fields = Object.entries<z.ZodType>(object?.shape ?? {});
  return fields.map(([name, field]) => {
    const optional = field.safeParse(undefined).success;
    const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
    const { description: _lifted, ...schema } = parameterSchema(inner);
    return {
      name,
      in: where,
      required: !optional,
      description: field.description ?? inner.description ?? '',
      schema,
    };
  });
}

/**
 * Express Routers whose routes are declared operations (`route`): the API is mounted from a
 * list of them and documented from the same list, so no route goes undocumented. `actorFor`
 * enforces an operation's `access` (shared/ knows no roles: the accounts feature gives it).
 * The few public operations that never read the database are on a router of their own, which
 * the app mounts before its readiness gate (shared/http/readiness.ts).
 */
export type ApiRouter<Actor> = Readonly<{
  router: Router;
  withoutDatabase: Router;
  operations: ApiOperation[];
  actorFor: (res: Response, access: Access) => Actor | undefined;
}>;
export const createApiRouter = <Actor>(
  actorFor: ApiRouter<Actor>['actorFor'],
): ApiRouter<Actor> => ({ router: Router(), withoutDatabase: Router(), operations: [], actorFor });

/** What a handler returns for a status other than its operation's only success status. */
export type Reply = Readonly<{ [REPLY]: true; status: number; body?: unknown }>;
const REPLY = Symbol('reply');
export const reply = (status: number, body?: unknown): Reply => ({ [REPLY]: true, status, body });
const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && REPLY in value;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type BodyOf<B> = B extends { checkedBy: 'handler' }
  ? unknown
  : B extends z.ZodType
    ? z.output<B>
    : B extends { schema: infer S }
      ? z.output<S & z.ZodType>
      : undefined;
/** What a handler receives: the parsed input, the actor its access guarantees, and req/res. */
export type RouteInput<Actor, A extends Access, P, Q, B> = Readonly<{
  params: Parsed<P>;
  query: Parsed<Q>;
  body: BodyOf<B>;
  actor: A extends 'viewer' | 'coach' ? Actor : Actor | undefined;
  req: Request;
  res: Response;
}>;

/**
 * Registers an operation on an API router and documents it. Before the handler runs, the route
 * enforces `access` (401 without a token, 403 below coach) and parses `params`, `query` and
 * `body` (400 `VALIDATION_FAILED`, as `parseInput`). The handler returns the answer of its
 * operation's only success status, or `reply(status, body)` to pick one; that answer passes
 * through the status's schema (unknown fields dropped), and an answer that does not fit
 * is a bug: logged, and 500 to the client. A handler that answers through `res` itself (a
 * file, an image) returns nothing; one that returns nothing for a status without a body
 * answers with that status (204).
 */
export function route<
  Actor,
  A extends Access,
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends BodySpec | undefined = undefined,
  R extends Readonly<Record<number, SuccessSpec>> = Readonly<Record<number, SuccessSpec>>,
>(
  api: ApiRouter<Actor>,
  spec: RouteSpec<A, P, Q, B, R>,
  // The answer is checked where it leaves, by its schema: the mappers' types are readonly and
  // wider than the DTOs' (a count, not `true`), so the compiler could not be the judge.
  handler: (input: RouteInput<Actor, A, P, Q, B>) => unknown,
): void {
  const where = `${spec.method} ${spec.path}`;
  const body = bodyOf(spec.body, where);
  // It is served before tokens are read (those are in the database): public only.
  if (spec.database === false && spec.access !== 'public')
    throw new Error(`${where}: an operation without the database is public`);
  const successes = new Map(
    Object.entries(spec.responses as Record<number, SuccessSpec>).map(([status, r]) => [
      Number(status),
      successOf(r, `${where} ${status}`),
    ]),
  );
  api.operations.push({
    method: spec.method,
    path: spec.path,
    tag: spec.tag,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    access: spec.access,
    parameters: [
      ...(spec.headers ?? []),
      ...parametersOf('path', spec.params),
      ...parametersOf('query', spec.query),
    ],
    ...(body
      ? {
          requestBody: {
            name: body.name,
            ...(body.description ? { description: body.description } : {}),
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        [...successes].map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.body ? { schema: r.body.name } : {}),
            ...(r.links ? { links: r.links } : {}),
          },
        ]),
      ),
      ...errorAnswers(spec.errors ?? [], where),
    },
    schemas: [
      ...(body ? [[body.name, { schema: body.schema, io: 'input' }] as const] : []),
      ...[...successes.values()].flatMap((r) =>
        r.body ? [[r.body.name, { schema: r.body.schema, io: 'output' }] as const] : [],
      ),
    ],
    ...(spec.database === false ? { database: false as const } : {}),
  });

  const router = spec.database === false ? api.withoutDatabase : api.router;
  router.route(spec.path.replace(/\{(\w+)\}/g, ':$1'))[spec.method](async (req, res) => {
    const actor = api.actorFor(res, spec.access);
    const input = {
      params: spec.params ? parseInput(spec.params, req.params) : undefined,
      query: spec.query ? parseInput(spec.query, req.query) : undefined,
      body: !body
        ? undefined
        : body.checkedBy
          ? (req.body as unknown)
          : parseInput(body.schema, req.body),
      actor,
      req,
      res,
    } as RouteInput<Actor, A, P, Q, B>;
    const result = await handler(input);
    if (res.headersSent) return;
    const { status, answer } = isReply(result)
      ? { status: result.status, answer: result.body }
      : { status: successes.size === 1 ? [...successes.keys()][0]! : NaN, answer: result };
    const declared = successes.get(status);
    if (!declared) throw new Error(`${where} answered undeclared ${status}`);
    if (!declared.body) {
      if (answer !== undefined) throw new Error(`${where} ${status} has no body`);
      res.status(status).end();
      return;
    }
    res.status(status).json(serialise(declared.body, answer));
  });
}

/** A request body's schema with its name, and how it is checked. */
function bodyOf(spec: BodySpec | undefined, where: string) {
  if (!spec) return undefined;
  const { schema, ...rest } = spec instanceof z.ZodType ? { schema: spec } : spec;
  return { ...namedSchema(schema, `${where} body`), ...rest };
}

/** A success answer's named schema (if it has a body), description and links. */
function successOf(spec: SuccessSpec, where: string) {
  const { body, ...rest } = spec instanceof z.ZodType ? { body: spec } : spec;
  const named = body ? namedSchema(body, where) : undefined;
  const description = rest.description ?? named?.description;
  if (description === undefined) throw new Error(`${where}: the answer has no description`);
  return { body: named, description, ...(rest.links ? { links: rest.links } : {}) };
}

/**
 * The answer as its schema says it, unknown fields dropped (a strict DTO would refuse them:
 * they are taken out and the answer checked again). An answer that still does not fit is a
 * bug of the server, not of the client: it throws, so the error handler logs it and answers
 * 500 without sending what did not fit.
 */
function serialise(named: NamedSchema, answer: unknown): unknown {
  let result = named.schema.safeParse(answer);
  if (!result.success && result.error.issues.every((i) => i.code === 'unrecognized_keys')) {
    const pruned = structuredClone(answer);
    for (const issue of result.error.issues) {
      let at = pruned as Record<PropertyKey, unknown>;
      for (const key of issue.path) at = at[key] as Record<PropertyKey, unknown>;
      for (const key of (issue as { keys: string[] }).keys) delete at[key];
    }
    result = named.schema.safeParse(pruned);
  }
  if (!result.success) {
    throw new Error(`The answer does not fit its schema ${named.name}`, { cause: result.error });
  }
  return result.data;
}

/** getRoundsRoundIdReport for GET /rounds/{roundId}/report */
const operationIdOf = (method: Method, path: string) =>
  `${method}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The document of the API's operations, with the `Error` schema the common answers use. */
export function openApiDocument(operations: readonly ApiOperation[]): Record<string, unknown> {
  const schemas: Record<string, ComponentSchema> = { Error: { schema: ErrorBody, io: 'output' } };
  for (const [name, entry] of operations.flatMap((op) => op.schemas)) {
    // Two schemas under one name would send a $ref to the wrong one without a word.
    const known = schemas[name];
    if (known && (known.schema !== entry.schema || known.io !== entry.io))
      throw new Error(`The OpenAPI schema ${name} is declared twice`);
    schemas[name] = entry;
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
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
      ...(op.parameters.length ? { parameters: op.parameters } : {}),
      ...(op.requestBody
        ? {
            requestBody: {
              required: true,
              description: op.requestBody.description,
              content: { 'application/json': { schema: ref(op.requestBody.name) } },
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
  operations: readonly ApiOperation[],
) {
  const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
  return {
    title: 'API',
    operations: operations.map((op) => ({
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
      parameters: op.parameters,
      requestSchema: op.requestBody
        ? { name: op.requestBody.name, json: schemas[op.requestBody.name] }
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
