import { reply, route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import type { Actor } from '../workspaces';
import {
  DiffQuery,
  ForkBody,
  LibraryQuery,
  QuestionnaireDefinition,
  QuestionnaireDiffDto,
  QuestionnaireDraft,
  QuestionnaireListDto,
  QuestionnaireParams,
  QuestionnaireQuery,
  QuestionnaireVersionDto,
  QuestionnaireVersionListDto,
  SavedQuestionnaireDto,
  ValidationResultDto,
} from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';

/**
 * JSON of questionnaires, mounted at the root of /api/v1. Reading the library needs no account
 * (then it holds the built-ins only); with a token it also holds the workspace's own
 * questionnaires.
 */
export function createQuestionnaireApiRouter({
  questionnaires,
}: {
  questionnaires: QuestionnaireService;
}): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'get',
      path: '/questionnaires',
      tag: 'Questionnaires',
      access: 'optional',
      summary: 'List the library',
      description:
        'The latest version of every built-in questionnaire and, with a token, of the workspace’s own; archived ones only with `archived=true`.',
      query: LibraryQuery,
      responses: {
        200: QuestionnaireListDto,
      },
    },
    async ({ actor, query }) => ({
      items: await questionnaires.list(actor?.workspaceId ?? null, {
        includeArchived: query.archived === 'true',
      }),
    }),
  );

  route(
    api,
    {
      method: 'get',
      path: '/questionnaires/schema.json',
      tag: 'Questionnaires',
      access: 'public',
      database: false,
      summary: 'The questionnaire format as JSON Schema',
      description:
        'JSON Schema 2020-12 of a questionnaire definition. Point `$schema` of a definition file at this URL to get validation and completion in an editor.',
      responses: { 200: { description: 'A JSON Schema document' } },
    },
    ({ res }) => {
      res.type('application/schema+json').json(questionnaires.jsonSchema());
    },
  );

  route(
    api,
    {
      method: 'post',
      path: '/questionnaires/validate',
      tag: 'Questionnaires',
      access: 'public',
      database: false,
      summary: 'Validate a definition without storing it',
      description:
        'Always answers 200 for a JSON body: `valid` is false and `errors` lists every problem with its dotted path. Only a body that is not JSON (400) or too large (413) is an error.',
      // The verdict is the answer, so a bad definition is no 400: the handler checks it.
      body: {
        schema: QuestionnaireDefinition,
        description: 'The definition to check',
        checkedBy: 'handler',
      },
      responses: {
        200: ValidationResultDto,
      },
    },
    ({ body }) => questionnaires.validate(body),
  );

  // After schema.json, which it would otherwise take for a slug.
  route(
    api,
    {
      method: 'get',
      path: '/questionnaires/{slug}',
      tag: 'Questionnaires',
      access: 'optional',
      summary: 'Get one version of a questionnaire',
      params: QuestionnaireParams,
      query: QuestionnaireQuery,
      responses: {
        200: QuestionnaireVersionDto,
      },
      errors: ['QUESTIONNAIRE_NOT_FOUND'],
    },
    ({ actor, params, query }) =>
      questionnaires.get(actor?.workspaceId ?? null, params.slug, query.version),
  );

  route(
    api,
    {
      method: 'get',
      path: '/questionnaires/{slug}/file',
      tag: 'Questionnaires',
      access: 'optional',
      summary: 'Download one version as its JSON file',
      description:
        'The definition in the open format (valid against `/questionnaires/schema.json`) as an attachment named `<slug>-v<version>.json`, to share: `POST /questionnaires` stores it again (change `slug`, and drop `version` for a new questionnaire from a later version).',
      params: QuestionnaireParams,
      query: QuestionnaireQuery,
      responses: { 200: { description: 'The definition file (application/json)' } },
      errors: ['QUESTIONNAIRE_NOT_FOUND'],
    },
    async ({ actor, params, query, res }) => {
      const file = await questionnaires.exportFile(
        actor?.workspaceId ?? null,
        params.slug,
        query.version,
      );
      res.attachment(file.filename).type('application/json').send(file.text);
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/questionnaires/{slug}/versions',
      tag: 'Questionnaires',
      access: 'optional',
      summary: 'List the versions of a questionnaire',
      description:
        'Every version, oldest first, with its lineage: `derivedFrom` on a fork’s first version, and per edited item whether its meaning changed or only its words. `locked` says a round uses the version.',
      params: QuestionnaireParams,
      responses: { 200: QuestionnaireVersionListDto },
      errors: ['QUESTIONNAIRE_NOT_FOUND'],
    },
    async ({ actor, params }) => ({
      slug: params.slug,
      versions: (await questionnaires.versions(actor?.workspaceId ?? null, params.slug)).map(
        (v) => ({ ...v, createdAt: v.createdAt.toISOString() }),
      ),
    }),
  );

  route(
    api,
    {
      method: 'get',
      path: '/questionnaires/{slug}/diff',
      tag: 'Questionnaires',
      access: 'optional',
      summary: 'Compare two versions of a questionnaire',
      description:
        'Per item `added`, `removed`, `same`, `reworded` or `changed` between `from` and `to`, combining the lineage of every version in between (any `changed` on the way makes it `changed`), with both versions of each item for a side-by-side view. An edit that no version called a rewording (built-in versions, versions stored before lineage) counts as `changed`.',
      params: QuestionnaireParams,
      query: DiffQuery,
      responses: { 200: QuestionnaireDiffDto },
      errors: ['QUESTIONNAIRE_NOT_FOUND'],
    },
    ({ actor, params, query }) =>
      questionnaires.diff(actor?.workspaceId ?? null, params.slug, query.from, query.to),
  );

  route(
    api,
    {
      method: 'post',
      path: '/questionnaires/{slug}/fork',
      tag: 'Questionnaires',
      access: 'coach',
      summary: 'Fork a questionnaire into the workspace',
      description:
        'Copies the latest version of a built-in or of the workspace’s own questionnaire as version 1 of a new workspace questionnaire with `derivedFrom` set. Its items keep their ids, so reports can compare them with the original’s where the meaning stays.',
      params: QuestionnaireParams,
      body: ForkBody,
      responses: {
        201: { description: 'The fork’s first version', body: QuestionnaireVersionDto },
      },
      errors: [
        'QUESTIONNAIRE_NOT_FOUND',
        'QUESTIONNAIRE_SLUG_RESERVED',
        'QUESTIONNAIRE_SLUG_TAKEN',
      ],
    },
    async ({ actor, params, body }) =>
      reply(201, await questionnaires.fork(actor.workspaceId, params.slug, body)),
  );

  route(
    api,
    {
      method: 'post',
      path: '/questionnaires',
      tag: 'Questionnaires',
      access: 'coach',
      summary: 'Store a workspace questionnaire or a new version of one',
      description:
        'A new slug starts at version 1. A changed definition becomes the next version, or edits the latest in place while no round uses it (200 `updated`); an identical one changes nothing (200 `unchanged`). `lineage` must name every item edited since the previous version (same id, other content; for a fork’s first version, since its origin) as `reworded` or `changed`, and nothing else (400 `VALIDATION_FAILED`, a detail at `lineage.<itemId>` each); an item may not take the id of one an earlier version removed. A given `version` must be the one the server would pick (else 409 `QUESTIONNAIRE_VERSION_CONFLICT`). Built-in slugs are reserved (409).',
      body: QuestionnaireDraft,
      responses: {
        201: { description: 'Created (`outcome` is `created`)', body: SavedQuestionnaireDto },
        200: { description: '`outcome` is `updated` or `unchanged`', body: SavedQuestionnaireDto },
      },
      errors: [
        'QUESTIONNAIRE_SLUG_RESERVED',
        'QUESTIONNAIRE_VERSION_CONFLICT',
        'QUESTIONNAIRE_VERSION_IMMUTABLE',
        'QUESTIONNAIRE_VERSION_EXISTS',
      ],
    },
    async ({ actor, body }) => {
      const { questionnaire, outcome } = await questionnaires.saveVersion(actor.workspaceId, body);
      return reply(outcome === 'created' ? 201 : 200, { ...questionnaire, outcome });
    },
  );

  const lifecycle = [
    [
      'archive',
      'Archive a workspace questionnaire',
      'Hides it from the library (unless `archived=true`) and from new rounds; its rounds, reports and versions stay readable. Archiving twice changes nothing.',
      questionnaires.archive,
    ],
    [
      'unarchive',
      'Restore an archived workspace questionnaire',
      'Lists it in the library and offers it to new rounds again.',
      questionnaires.unarchive,
    ],
  ] as const;
  for (const [action, summary, description, act] of lifecycle) {
    route(
      api,
      {
        method: 'post',
        path: `/questionnaires/{slug}/${action}`,
        tag: 'Questionnaires',
        access: 'coach',
        summary,
        description: `${description} Built-in questionnaires are refused (409 \`QUESTIONNAIRE_BUILTIN\`).`,
        params: QuestionnaireParams,
        responses: { 200: QuestionnaireVersionDto },
        errors: ['QUESTIONNAIRE_NOT_FOUND', 'QUESTIONNAIRE_BUILTIN'],
      },
      ({ actor, params }) => act(actor.workspaceId, params.slug),
    );
  }

  route(
    api,
    {
      method: 'delete',
      path: '/questionnaires/{slug}',
      tag: 'Questionnaires',
      access: 'coach',
      summary: 'Delete a workspace questionnaire no round uses',
      description:
        'Deletes every version. Refused while any round (draft, open or closed) uses one of its versions (409 `QUESTIONNAIRE_IN_USE`, nothing deleted): archive it instead. Built-in questionnaires are refused (409 `QUESTIONNAIRE_BUILTIN`).',
      params: QuestionnaireParams,
      responses: { 204: { description: 'Deleted' } },
      errors: ['QUESTIONNAIRE_NOT_FOUND', 'QUESTIONNAIRE_BUILTIN', 'QUESTIONNAIRE_IN_USE'],
    },
    async ({ actor, params }) => {
      await questionnaires.remove(actor.workspaceId, params.slug);
    },
  );

  return api;
}
