import { Router } from 'express';
import {
  apiErrors,
  parameterSchema,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { assertRole } from '../workspaces';
import {
  QuestionnaireDefinition,
  QuestionnaireDraft,
  QuestionnaireListDto,
  QuestionnaireParams,
  QuestionnaireQuery,
  QuestionnaireVersionDto,
  SavedQuestionnaireDto,
  ValidationResultDto,
} from './questionnaire.schemas';
import type { QuestionnaireService } from './questionnaire.service';

const listQuestionnaires: ApiOperation = {
  method: 'get',
  path: '/questionnaires',
  tag: 'Questionnaires',
  access: 'optional',
  summary: 'List the library',
  description:
    'The latest version of every built-in questionnaire and, with a token, of the workspace’s own.',
  responses: { 200: { description: 'The library', schema: 'QuestionnaireList' } },
};

const definitionSchema: ApiOperation = {
  method: 'get',
  path: '/questionnaires/schema.json',
  tag: 'Questionnaires',
  access: 'public',
  database: false,
  summary: 'The questionnaire format as JSON Schema',
  description:
    'JSON Schema 2020-12 of a questionnaire definition. Point `$schema` of a definition file at this URL to get validation and completion in an editor.',
  responses: { 200: { description: 'A JSON Schema document' } },
};

const validateDefinition: ApiOperation = {
  method: 'post',
  path: '/questionnaires/validate',
  tag: 'Questionnaires',
  access: 'public',
  database: false,
  summary: 'Validate a definition without storing it',
  description:
    'Always answers 200 for a JSON body: `valid` is false and `errors` lists every problem with its dotted path. Only a body that is not JSON (400) or too large (413) is an error.',
  requestBody: { schema: 'QuestionnaireDefinition', description: 'The definition to check' },
  responses: { 200: { description: 'The verdict', schema: 'ValidationResult' } },
};

const getQuestionnaire: ApiOperation = {
  method: 'get',
  path: '/questionnaires/{slug}',
  tag: 'Questionnaires',
  access: 'optional',
  summary: 'Get one version of a questionnaire',
  parameters: [
    {
      name: 'slug',
      in: 'path',
      required: true,
      description: 'The questionnaire slug',
      schema: parameterSchema(QuestionnaireParams.shape.slug),
    },
    {
      name: 'version',
      in: 'query',
      required: false,
      description: 'A version number; the latest when omitted',
      schema: parameterSchema(QuestionnaireQuery.shape.version.unwrap()),
    },
  ],
  responses: {
    200: { description: 'The definition with its version history', schema: 'QuestionnaireVersion' },
    404: apiErrors[404],
  },
};

const saveQuestionnaire: ApiOperation = {
  method: 'post',
  path: '/questionnaires',
  tag: 'Questionnaires',
  access: 'coach',
  summary: 'Store a workspace questionnaire or a new version of one',
  description:
    'A new slug starts at version 1. A changed definition becomes the next version, or edits the latest in place while no round uses it (200 `updated`); an identical one changes nothing (200 `unchanged`). A given `version` must be the one the server would pick (else 409 `QUESTIONNAIRE_VERSION_CONFLICT`). Built-in slugs are reserved (409).',
  requestBody: { schema: 'QuestionnaireDraft' },
  responses: {
    201: { description: 'Created (`outcome` is `created`)', schema: 'SavedQuestionnaire' },
    200: { description: '`outcome` is `updated` or `unchanged`', schema: 'SavedQuestionnaire' },
    409: apiErrors[409],
  },
};

/** The OpenAPI description of the routes below. */
export const questionnaireApi: ApiDescription = {
  operations: [
    listQuestionnaires,
    definitionSchema,
    validateDefinition,
    getQuestionnaire,
    saveQuestionnaire,
  ],
  schemas: {
    QuestionnaireDefinition: { schema: QuestionnaireDefinition, io: 'input' },
    QuestionnaireDraft: { schema: QuestionnaireDraft, io: 'input' },
    QuestionnaireList: { schema: QuestionnaireListDto, io: 'output' },
    QuestionnaireVersion: { schema: QuestionnaireVersionDto, io: 'output' },
    SavedQuestionnaire: { schema: SavedQuestionnaireDto, io: 'output' },
    ValidationResult: { schema: ValidationResultDto, io: 'output' },
  },
};

/**
 * JSON of questionnaires, mounted at the root of /api/v1. Reading the library needs no account
 * (then it holds the built-ins only); with a token it also holds the workspace's own
 * questionnaires.
 */
export function createQuestionnaireApiRouter({
  questionnaires,
}: {
  questionnaires: QuestionnaireService;
}): Router {
  const router = Router();

  route(router, listQuestionnaires, async (_req, res) => {
    res.json({ items: await questionnaires.list(res.locals.actor?.workspaceId ?? null) });
  });

  route(router, saveQuestionnaire, async (req, res) => {
    const actor = apiActor(res);
    assertRole(actor, 'coach');
    const { questionnaire, outcome } = await questionnaires.saveVersion(
      actor.workspaceId,
      req.body,
    );
    res.status(outcome === 'created' ? 201 : 200).json({ ...questionnaire, outcome });
  });

  route(router, definitionSchema, (_req, res) => {
    res.type('application/schema+json').json(questionnaires.jsonSchema());
  });

  route(router, validateDefinition, (req, res) => {
    res.json(questionnaires.validate(req.body));
  });

  // After schema.json, which it would otherwise take for a slug.
  route(router, getQuestionnaire, async (req, res) => {
    const { slug } = parseInput(QuestionnaireParams, req.params);
    const { version } = parseInput(QuestionnaireQuery, req.query);
    res.json(await questionnaires.get(res.locals.actor?.workspaceId ?? null, slug, version));
  });

  return router;
}
