import { z } from 'zod';
import { ApiTokenRequest, MeDto, SignupApiInput, TokenResponseDto } from './features/accounts';
import { ActionDto, ActionListDto, CreateActionInput, UpdateActionInput } from './features/actions';
import {
  QuestionnaireDefinition,
  QuestionnaireDraft,
  QuestionnaireListDto,
  QuestionnaireQuery,
  QuestionnaireVersionDto,
  SavedQuestionnaireDto,
  ValidationResultDto,
} from './features/questionnaires';
import { CreateRoundInput, RoundDto, RoundListDto } from './features/rounds';
import { ComparisonDto, RoundReportDto, TrendDto, TrendQuery } from './features/reports';
import {
  LinkToken,
  RespondentKey,
  RespondentRoundDto,
  ResponseInput,
  StoredAnswersDto,
  SubmittedDto,
} from './features/responses';
import {
  CreateTeamInput,
  TeamDto,
  TeamIdParams,
  TeamListDto,
  UpdateTeamInput,
} from './features/teams';
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
  /** Who may call it; `public` needs no token. */
  access: 'public' | 'viewer' | 'coach' | 'optional';
  parameters?: readonly Parameter[];
  requestBody?: Readonly<{ schema: string; description?: string }>;
  responses: Readonly<
    Record<number, Readonly<{ description: string; schema?: string; links?: readonly Link[] }>>
  >;
  /** False for the few operations that never read the database (no 503). */
  database?: false;
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
const linksTo = (
  targets: readonly (readonly [Method, string])[],
  parameters: Readonly<Record<string, string>>,
): Link[] => targets.map(([method, path]) => ({ method, path, parameters }));

type Parameter = Readonly<{
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: Record<string, unknown>;
}>;

const SCHEMAS: Readonly<Record<string, Readonly<{ schema: z.ZodType; io: 'input' | 'output' }>>> = {
  Error: { schema: ErrorBody, io: 'output' },
  SignupRequest: { schema: SignupApiInput, io: 'input' },
  TokenRequest: { schema: ApiTokenRequest, io: 'input' },
  TokenResponse: { schema: TokenResponseDto, io: 'output' },
  Me: { schema: MeDto, io: 'output' },
  CreateTeam: { schema: CreateTeamInput, io: 'input' },
  UpdateTeam: { schema: UpdateTeamInput, io: 'input' },
  Team: { schema: TeamDto, io: 'output' },
  TeamList: { schema: TeamListDto, io: 'output' },
  CreateRound: { schema: CreateRoundInput, io: 'input' },
  Round: { schema: RoundDto, io: 'output' },
  RoundList: { schema: RoundListDto, io: 'output' },
  RoundReport: { schema: RoundReportDto, io: 'output' },
  Comparison: { schema: ComparisonDto, io: 'output' },
  Trend: { schema: TrendDto, io: 'output' },
  CreateAction: { schema: CreateActionInput, io: 'input' },
  UpdateAction: { schema: UpdateActionInput, io: 'input' },
  Action: { schema: ActionDto, io: 'output' },
  ActionList: { schema: ActionListDto, io: 'output' },
  ResponseInput: { schema: ResponseInput, io: 'input' },
  RespondentRound: { schema: RespondentRoundDto, io: 'output' },
  Submitted: { schema: SubmittedDto, io: 'output' },
  StoredAnswers: { schema: StoredAnswersDto, io: 'output' },
  QuestionnaireDefinition: { schema: QuestionnaireDefinition, io: 'input' },
  QuestionnaireDraft: { schema: QuestionnaireDraft, io: 'input' },
  QuestionnaireList: { schema: QuestionnaireListDto, io: 'output' },
  QuestionnaireVersion: { schema: QuestionnaireVersionDto, io: 'output' },
  SavedQuestionnaire: { schema: SavedQuestionnaireDto, io: 'output' },
  ValidationResult: { schema: ValidationResultDto, io: 'output' },
};

const slugParameter: Parameter = {
  name: 'slug',
  in: 'path',
  required: true,
  description: 'The questionnaire slug',
  schema: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
};

/** The JSON Schema of a parameter, from the zod schema that validates it. */
function parameterSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' });
  return json;
}

const idParameter = (name: string, what: string): Parameter => ({
  name,
  in: 'path',
  required: true,
  description: `The ${what}'s id`,
  schema: parameterSchema(TeamIdParams.shape.teamId),
});

const linkTokenParameter: Parameter = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The link token of the round (the end of its /r/ link)',
  schema: parameterSchema(LinkToken),
};

const editKeyHeader = (required: boolean, description: string): Parameter => ({
  name: 'X-Edit-Key',
  in: 'header',
  required,
  description,
  schema: parameterSchema(RespondentKey),
});

/** Answers to one round are stored one at a time; a write that waits 30 s gives up. */
const roundBusy = {
  description:
    'Database unreachable, or the round busy with other answers (`ROUND_BUSY`); retry after `Retry-After` seconds with the same `X-Edit-Key`',
  schema: 'Error',
};

const errors = {
  400: { description: 'Invalid request: see `error.details`', schema: 'Error' },
  401: { description: 'No valid API token (`UNAUTHENTICATED`, `TOKEN_INVALID`)', schema: 'Error' },
  403: { description: 'The token’s role does not allow this (`FORBIDDEN`)', schema: 'Error' },
  404: { description: 'Not found, or in another workspace', schema: 'Error' },
  409: { description: 'Conflicts with the current state; see `error.code`', schema: 'Error' },
  429: { description: 'Too many attempts; retry after `Retry-After` seconds', schema: 'Error' },
  413: { description: 'Request body too large', schema: 'Error' },
  503: { description: 'Database unreachable; retry after `Retry-After` seconds', schema: 'Error' },
} as const;

const conflictsOf = (action: 'open' | 'close' | 'rotate-link'): Operation['responses'] =>
  action === 'rotate-link'
    ? {}
    : { 409: { description: '`ROUND_NOT_DRAFT` or `ROUND_NOT_OPEN`', schema: 'Error' } };

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/questionnaires',
    tag: 'Questionnaires',
    access: 'optional',
    summary: 'List the library',
    description:
      'The latest version of every built-in questionnaire and, with a token, of the workspace’s own.',
    responses: {
      200: { description: 'The library', schema: 'QuestionnaireList' },
      503: errors[503],
    },
  },
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
  {
    method: 'post',
    path: '/questionnaires/validate',
    tag: 'Questionnaires',
    access: 'public',
    database: false,
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
    access: 'optional',
    summary: 'Get one version of a questionnaire',
    parameters: [
      slugParameter,
      {
        name: 'version',
        in: 'query',
        required: false,
        description: 'A version number; the latest when omitted',
        schema: parameterSchema(QuestionnaireQuery.shape.version.unwrap()),
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
  {
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
      400: errors[400],
      401: errors[401],
      403: errors[403],
      409: errors[409],
    },
  },
  {
    method: 'post',
    path: '/auth/signup',
    tag: 'Accounts',
    access: 'public',
    summary: 'Create a user, a workspace and a first API token (owner)',
    requestBody: { schema: 'SignupRequest' },
    responses: {
      201: { description: 'The token, shown only now', schema: 'TokenResponse' },
      400: errors[400],
      409: { description: 'The email address has an account (`EMAIL_TAKEN`)', schema: 'Error' },
      429: errors[429],
    },
  },
  {
    method: 'post',
    path: '/auth/tokens',
    tag: 'Accounts',
    access: 'public',
    summary: 'Get an API token with email and password',
    description:
      'The token works in one workspace (the first one unless `workspaceId` is given) with at most the user’s role there. Rate limited per client address and per account.',
    requestBody: { schema: 'TokenRequest' },
    responses: {
      201: { description: 'The token, shown only now', schema: 'TokenResponse' },
      400: errors[400],
      401: { description: 'Wrong email or password (`INVALID_CREDENTIALS`)', schema: 'Error' },
      404: errors[404],
      429: errors[429],
    },
  },
  {
    method: 'get',
    path: '/auth/me',
    tag: 'Accounts',
    access: 'viewer',
    summary: 'Who the token belongs to, its workspace and role',
    responses: { 200: { description: 'The token’s identity', schema: 'Me' }, 401: errors[401] },
  },
  {
    method: 'get',
    path: '/teams',
    tag: 'Teams',
    access: 'viewer',
    summary: 'List the workspace’s teams',
    parameters: [
      {
        name: 'archived',
        in: 'query',
        required: false,
        description: '`true` to include archived teams',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    ],
    responses: { 200: { description: 'The teams', schema: 'TeamList' }, 401: errors[401] },
  },
  {
    method: 'post',
    path: '/teams',
    tag: 'Teams',
    access: 'coach',
    summary: 'Create a team',
    requestBody: { schema: 'CreateTeam' },
    responses: {
      201: {
        description: 'The team',
        schema: 'Team',
        links: linksTo(
          [
            ['get', '/teams/{teamId}'],
            ['patch', '/teams/{teamId}'],
            ['get', '/teams/{teamId}/trend'],
            ['get', '/teams/{teamId}/actions'],
            ['post', '/teams/{teamId}/actions'],
          ],
          { teamId: '$response.body#/id' },
        ),
      },
      400: errors[400],
      401: errors[401],
      403: errors[403],
      409: { description: 'A team with this name exists (`TEAM_NAME_TAKEN`)', schema: 'Error' },
    },
  },
  {
    method: 'get',
    path: '/teams/{teamId}',
    tag: 'Teams',
    access: 'viewer',
    summary: 'Get a team',
    parameters: [idParameter('teamId', 'team')],
    responses: {
      200: { description: 'The team', schema: 'Team' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'patch',
    path: '/teams/{teamId}',
    tag: 'Teams',
    access: 'coach',
    summary: 'Rename, retag, set the expected size, archive or restore a team',
    description:
      'With `expectedSize`, the team’s rounds and reports carry `expected` and `responseRate`; `null` forgets the size.',
    parameters: [idParameter('teamId', 'team')],
    requestBody: { schema: 'UpdateTeam' },
    responses: {
      200: { description: 'The team', schema: 'Team' },
      400: errors[400],
      401: errors[401],
      403: errors[403],
      404: errors[404],
      409: errors[409],
    },
  },
  {
    method: 'get',
    path: '/rounds',
    tag: 'Rounds',
    access: 'viewer',
    summary: 'List rounds, newest first',
    parameters: [
      {
        name: 'teamId',
        in: 'query',
        required: false,
        description: 'Only this team’s rounds',
        schema: parameterSchema(TeamIdParams.shape.teamId),
      },
      {
        name: 'status',
        in: 'query',
        required: false,
        description: 'Only rounds stored with this status',
        schema: { type: 'string', enum: ['draft', 'open', 'closed'] },
      },
    ],
    responses: {
      200: { description: 'The rounds', schema: 'RoundList' },
      400: errors[400],
      401: errors[401],
    },
  },
  {
    method: 'post',
    path: '/rounds',
    tag: 'Rounds',
    access: 'coach',
    summary: 'Create a draft round',
    description:
      'Locks the questionnaire version it uses. Anonymous rounds need `minGroupSize` ≥ 3. Conflicts: `TEAM_ARCHIVED`, `ROUND_CLOSES_IN_PAST`.',
    requestBody: { schema: 'CreateRound' },
    responses: {
      201: {
        description: 'The round, with its link',
        schema: 'Round',
        links: linksTo(
          [
            ['get', '/rounds/{roundId}'],
            ['post', '/rounds/{roundId}/open'],
            ['get', '/rounds/{roundId}/report'],
            ['get', '/rounds/{roundId}/export.csv'],
            ['get', '/rounds/{roundId}/export.json'],
          ],
          { roundId: '$response.body#/id' },
        ),
      },
      400: errors[400],
      401: errors[401],
      403: errors[403],
      404: { description: 'Unknown team or questionnaire version', schema: 'Error' },
      409: errors[409],
    },
  },
  {
    method: 'get',
    path: '/rounds/{roundId}',
    tag: 'Rounds',
    access: 'viewer',
    summary: 'Get a round with its response count',
    parameters: [idParameter('roundId', 'round')],
    responses: {
      200: { description: 'The round', schema: 'Round' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/rounds/{roundId}/report',
    tag: 'Reports',
    access: 'viewer',
    summary: 'The round report',
    description:
      'Opens with a `summary` (dimension scores, tension positions, mean ratings, dcf verdicts, the first five of the discuss list, the largest moves since the team’s previous round of the questionnaire). Per item n, histogram, mean, median, sd, consensus, discuss, discussReasons and priority; tensions also lean (`split` when at least a third of the answers lie on each side of the middle), desiredMean and gap; practice items n of the ratings and `answered`; dcf atRiskShare and per-aspect shares; per dimension score and score100. `discuss` lists the items to discuss, highest priority first. In anonymous rounds an item (or the whole report) answered by fewer than k people is `suppressed: true` with no figures, and comments appear only from k responses on, without names.',
    parameters: [idParameter('roundId', 'round')],
    responses: {
      200: { description: 'The report', schema: 'RoundReport' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/rounds/{roundId}/export.json',
    tag: 'Reports',
    access: 'viewer',
    summary: 'The report and the raw answers as a JSON download',
    description:
      '`{report, responses}`: the same numbers as the report; `responses` (one entry per person, with name, role and day) only for named rounds: an anonymous round’s export holds no per-person answers.',
    parameters: [idParameter('roundId', 'round')],
    responses: { 200: { description: 'A JSON attachment' }, 401: errors[401], 404: errors[404] },
  },
  {
    method: 'get',
    path: '/rounds/{roundId}/export.csv',
    tag: 'Reports',
    access: 'viewer',
    summary: 'Item statistics or raw answers as CSV',
    description:
      'RFC 4180, UTF-8 with a byte-order mark, CRLF; figures rounded to three decimals; `items` has the lean, discuss reasons and priority. `responses` (one row per person) exists for named rounds only: an anonymous round answers 409 `EXPORT_ANONYMOUS`. Text cells that begin with =, +, -, @, tab or CR are prefixed with an apostrophe so spreadsheets never run them.',
    parameters: [
      idParameter('roundId', 'round'),
      {
        name: 'part',
        in: 'query',
        required: false,
        description: '`items` (default) or `responses`',
        schema: { type: 'string', enum: ['items', 'responses'] },
      },
    ],
    responses: {
      200: { description: 'A CSV attachment' },
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  {
    method: 'get',
    path: '/r/{token}',
    tag: 'Respondents',
    access: 'public',
    summary: 'The open round behind a respondent link, with its questionnaire',
    parameters: [linkTokenParameter],
    responses: {
      200: { description: 'The round and questionnaire', schema: 'RespondentRound' },
      404: {
        description:
          'Unknown link (`ROUND_LINK_NOT_FOUND`), or a round not opened yet (`ROUND_NOT_STARTED`)',
        schema: 'Error',
      },
      410: { description: 'The round is closed (`ROUND_CLOSED`)', schema: 'Error' },
      429: errors[429],
    },
  },
  {
    method: 'post',
    path: '/r/{token}',
    tag: 'Respondents',
    access: 'public',
    summary: 'Submit an answer',
    description:
      '`{answers: [...], name?, role?}`: `{itemId, value, desired?}` for tension and maturity, `{itemId, text, rating?}` for practice, `{itemId, classes: {aspect: "driver"|"constraint"|"float"}}` for dcf. Answers are checked against the round’s questionnaire version. The edit key in the answer is the only way back to it.',
    parameters: [
      editKeyHeader(
        false,
        'Optional: a key of your own (43 URL-safe characters from a secure random source). Retrying with the same key stores one answer.',
      ),
      linkTokenParameter,
    ],
    requestBody: { schema: 'ResponseInput' },
    responses: {
      201: {
        description: 'Stored',
        schema: 'Submitted',
        links: linksTo(
          [
            ['put', '/r/{token}'],
            ['get', '/r/{token}/response'],
          ],
          { token: '$request.path.token', 'header.X-Edit-Key': '$response.body#/editKey' },
        ),
      },
      200: { description: 'Stored again under the same X-Edit-Key', schema: 'Submitted' },
      400: errors[400],
      404: errors[404],
      410: { description: 'The round is closed', schema: 'Error' },
      429: errors[429],
      503: roundBusy,
    },
  },
  {
    method: 'put',
    path: '/r/{token}',
    tag: 'Respondents',
    access: 'public',
    summary: 'Revise the answer of the `X-Edit-Key` header',
    parameters: [
      editKeyHeader(true, 'The edit key returned when the answer was submitted'),
      linkTokenParameter,
    ],
    requestBody: { schema: 'ResponseInput' },
    responses: {
      200: { description: 'Replaced; the body has the day' },
      400: errors[400],
      404: { description: 'No answer for this key (`RESPONSE_NOT_FOUND`)', schema: 'Error' },
      410: { description: 'The round is closed', schema: 'Error' },
      429: errors[429],
      503: roundBusy,
    },
  },
  {
    method: 'get',
    path: '/r/{token}/response',
    tag: 'Respondents',
    access: 'public',
    summary: 'Read back the answer of the `X-Edit-Key` header',
    parameters: [
      editKeyHeader(true, 'The edit key returned when the answer was submitted'),
      linkTokenParameter,
    ],
    responses: {
      200: { description: 'The answer', schema: 'StoredAnswers' },
      400: errors[400],
      404: errors[404],
      410: { description: 'The round is closed', schema: 'Error' },
      429: errors[429],
    },
  },
  {
    method: 'get',
    path: '/reports/compare',
    tag: 'Reports',
    access: 'viewer',
    summary: 'Several teams side by side (one round each)',
    description:
      'Per team and dimension the maturity score on 0–100 and the mean consensus; per tension each team’s mean. All rounds must use one questionnaire. Suppressed (no figures) wherever fewer than k answered. With `hideNames=true` teams are Team A, Team B, … and round ids are left out.',
    parameters: [
      {
        name: 'rounds',
        in: 'query',
        required: false,
        description: 'Round ids, comma-separated (or repeated), at most 100; none gives no teams',
        schema: { type: 'string' },
      },
      {
        name: 'hideNames',
        in: 'query',
        required: false,
        description: '`true` for neutral team labels',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    ],
    responses: {
      200: { description: 'The comparison', schema: 'Comparison' },
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/teams/{teamId}/trend',
    tag: 'Reports',
    access: 'viewer',
    summary: 'A team’s dimension scores and tension positions across its rounds',
    description:
      'Rounds of one questionnaire (the given slug, or the one the team used most), oldest first, each with its questionnaire version and the actions agreed after it; items and dimensions are matched by id and key across versions.',
    parameters: [
      idParameter('teamId', 'team'),
      {
        name: 'questionnaire',
        in: 'query',
        required: false,
        description: 'A questionnaire slug',
        schema: parameterSchema(TrendQuery.shape.questionnaire.unwrap()),
      },
    ],
    responses: {
      200: { description: 'The trend', schema: 'Trend' },
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/teams/{teamId}/actions',
    tag: 'Actions',
    access: 'viewer',
    summary: 'A team’s actions, most urgent first',
    description:
      'Open ones first (the soonest due first), then done and dropped ones, latest change first. An action whose round no longer exists is not listed.',
    parameters: [idParameter('teamId', 'team')],
    responses: {
      200: { description: 'The actions', schema: 'ActionList' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'post',
    path: '/teams/{teamId}/actions',
    tag: 'Actions',
    access: 'coach',
    summary: 'Agree an action',
    description:
      'It comes from a round of this team that has been opened (`sourceRoundId`) and may target one of that round’s items (`itemId`), with a `pole` to move towards for a tension. The next round’s report of the same questionnaire follows it up with the item’s figures before and after.',
    parameters: [idParameter('teamId', 'team')],
    requestBody: { schema: 'CreateAction' },
    responses: {
      201: {
        description: 'The action',
        schema: 'Action',
        links: linksTo(
          [
            ['get', '/actions/{actionId}'],
            ['patch', '/actions/{actionId}'],
            ['delete', '/actions/{actionId}'],
          ],
          { actionId: '$response.body#/id' },
        ),
      },
      400: errors[400],
      401: errors[401],
      403: errors[403],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/teams/{teamId}/actions.csv',
    tag: 'Actions',
    access: 'viewer',
    summary: 'A team’s actions as CSV',
    description:
      'One row per action, with its round and item; UTF-8 with a byte-order mark, text cells that could start a formula prefixed with an apostrophe.',
    parameters: [idParameter('teamId', 'team')],
    responses: {
      200: { description: 'text/csv' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'get',
    path: '/actions/{actionId}',
    tag: 'Actions',
    access: 'viewer',
    summary: 'Get an action',
    parameters: [idParameter('actionId', 'action')],
    responses: {
      200: { description: 'The action', schema: 'Action' },
      401: errors[401],
      404: errors[404],
    },
  },
  {
    method: 'patch',
    path: '/actions/{actionId}',
    tag: 'Actions',
    access: 'coach',
    summary: 'Change an action: title, owner, due day, notes, status or target pole',
    parameters: [idParameter('actionId', 'action')],
    requestBody: { schema: 'UpdateAction' },
    responses: {
      200: { description: 'The action', schema: 'Action' },
      400: errors[400],
      401: errors[401],
      403: errors[403],
      404: errors[404],
    },
  },
  {
    method: 'delete',
    path: '/actions/{actionId}',
    tag: 'Actions',
    access: 'coach',
    summary: 'Delete an action',
    description: 'It disappears from every report; mark it `dropped` instead to keep its history.',
    parameters: [idParameter('actionId', 'action')],
    responses: {
      204: { description: 'Deleted' },
      401: errors[401],
      403: errors[403],
      404: errors[404],
    },
  },
  {
    method: 'post',
    path: '/demo',
    tag: 'Demo',
    access: 'coach',
    summary: 'Fill the workspace with demo teams, rounds and answers',
    description:
      'Three teams, each with two rounds of Operating maturity and one of Tensions in how we work, with a contested item, a round below the minimum group size, and actions agreed after the first rounds (some done, one overdue). Once per workspace (409 `DEMO_EXISTS`).',
    responses: {
      201: { description: '`{teams, rounds, responses}` created' },
      401: errors[401],
      403: errors[403],
      409: errors[409],
    },
  },
  ...(['open', 'close', 'rotate-link'] as const).map((action): Operation => ({
    method: 'post',
    path: `/rounds/{roundId}/${action}`,
    tag: 'Rounds',
    access: 'coach',
    summary:
      action === 'open'
        ? 'Open a draft round for answers'
        : action === 'close'
          ? 'Close an open round'
          : 'Replace the respondent link (the old one stops working at once)',
    parameters: [idParameter('roundId', 'round')],
    responses: {
      200: { description: 'The round', schema: 'Round' },
      401: errors[401],
      403: errors[403],
      404: errors[404],
      ...conflictsOf(action),
    },
  })),
];

function jsonSchemaOf(entry: Readonly<{ schema: z.ZodType; io: 'input' | 'output' }>) {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(entry.schema, { io: entry.io });
  return schema;
}

/** getRoundsRoundIdReport for GET /rounds/{roundId}/report */
const operationIdOf = (method: Method, path: string) =>
  `${method}${path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The answers every operation of its kind can give, added to each so the document lists every
 * status the server sends: 400 for a bad parameter or body, 413 for a body over BODY_LIMIT,
 * 401/403 for tokens, 503 while the database is unreachable. An operation's own entry wins.
 */
function withCommonResponses(op: Operation): Operation['responses'] {
  const common: [boolean, number, Readonly<{ description: string; schema: string }>][] = [
    [Boolean(op.parameters?.length || op.requestBody), 400, errors[400]],
    [op.access === 'viewer' || op.access === 'coach', 401, errors[401]],
    [op.access === 'coach', 403, errors[403]],
    [Boolean(op.requestBody), 413, errors[413]],
    [op.database !== false, 503, errors[503]],
  ];
  return {
    ...Object.fromEntries(common.filter(([applies]) => applies).map(([, s, r]) => [s, r])),
    ...op.responses,
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
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
            'An API token (`tl_…`) from the account page or POST /auth/tokens; it acts in one workspace with at most its owner’s role.',
        },
      },
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
    schemas: Object.entries(schemas).map(([name, json]) => ({ name, json })),
  };
}
