import { Router } from 'express';
import { NotFoundError } from '../../shared/errors';
import {
  apiErrors,
  linksTo,
  parameterSchema,
  route,
  type ApiDescription,
  type ApiOperation,
  type ApiParameter,
  type ApiResponse,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { InvitationToken } from '../invitations';
import {
  LinkToken,
  LinkTokenParams,
  RespondentKey,
  RespondentRoundDto,
  ResponseInput,
  StoredAnswersDto,
  SubmittedDto,
} from './response.schemas';
import type { ResponseService } from './response.service';

const EDIT_KEY_HEADER = 'x-edit-key';

const linkTokenParameter: ApiParameter = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The link token of the round (the end of its /r/ link)',
  schema: parameterSchema(LinkToken),
};

const editKeyHeader = (required: boolean, description: string): ApiParameter => ({
  name: 'X-Edit-Key',
  in: 'header',
  required,
  description,
  schema: parameterSchema(RespondentKey),
});

const roundClosed: ApiResponse = { description: 'The round is closed', schema: 'Error' };

/** Answers to one round are stored one at a time; a write that waits 30 s gives up. */
const roundBusy: ApiResponse = {
  description:
    'Database unreachable, or the round busy with other answers (`ROUND_BUSY`); retry after `Retry-After` seconds with the same `X-Edit-Key`',
  schema: 'Error',
};

const openRound: ApiOperation = {
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
    429: apiErrors[429],
  },
};

const submit: ApiOperation = {
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
    {
      name: 'X-Invitation',
      in: 'header',
      required: false,
      description:
        'Optional: the `i` of a personal invitation link. The invitation is then counted as used (only that: not which answer, not when); an invalid one answers 400 and stores nothing.',
      schema: parameterSchema(InvitationToken),
    },
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
    403: {
      description:
        'A round by invitation (`access: "invited"`) and no `X-Invitation`: only a personal link starts an answer (`INVITATION_REQUIRED`)',
      schema: 'Error',
    },
    404: apiErrors[404],
    409: {
      description:
        'A round by invitation whose invitation has answered already, each answers once (`INVITATION_USED`); its answer changes with its `X-Edit-Key`',
      schema: 'Error',
    },
    410: roundClosed,
    429: apiErrors[429],
    503: roundBusy,
  },
};

const revise: ApiOperation = {
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
    404: { description: 'No answer for this key (`RESPONSE_NOT_FOUND`)', schema: 'Error' },
    410: roundClosed,
    429: apiErrors[429],
    503: roundBusy,
  },
};

const readBack: ApiOperation = {
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
    404: apiErrors[404],
    410: roundClosed,
    429: apiErrors[429],
  },
};

/** The OpenAPI description of the routes below. */
export const responseApi: ApiDescription = {
  operations: [openRound, submit, revise, readBack],
  schemas: {
    ResponseInput: { schema: ResponseInput, io: 'input' },
    RespondentRound: { schema: RespondentRoundDto, io: 'output' },
    Submitted: { schema: SubmittedDto, io: 'output' },
    StoredAnswers: { schema: StoredAnswersDto, io: 'output' },
  },
};

/**
 * JSON for answering a round through its link, for other front ends (no account), mounted at
 * the root of /api/v1.
 */
export function createResponseApiRouter({ responses }: { responses: ResponseService }): Router {
  const router = Router();
  const editKey = (value: string | undefined) => parseInput(RespondentKey, value ?? '');

  route(router, openRound, async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const { round, definition, teamName } = await responses.openRound(token, req.ip ?? 'unknown');
    res.json({
      round: {
        title: round.title,
        teamName,
        anonymity: round.anonymity,
        access: round.access,
        closesAt: round.closesAt?.toISOString() ?? null,
      },
      questionnaire: definition,
    });
  });

  /**
   * 201 with the edit key (shown only now). A client may send a key of its own in X-Edit-Key:
   * retrying with it after a lost answer (timeout, 503) stores one response, not two (200 when
   * it replaced the earlier one).
   */
  route(router, submit, async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const supplied = req.get(EDIT_KEY_HEADER);
    const ip = req.ip ?? 'unknown';
    const open = await responses.openRound(token, ip);
    const invitation = req.get('X-Invitation');
    const { key, day, outcome } = await responses.submit(open, req.body, {
      ip,
      ...(supplied === undefined ? {} : { key: editKey(supplied) }),
      ...(invitation === undefined ? {} : { invitation }),
    });
    res.status(outcome === 'created' ? 201 : 200).json({ editKey: key, day });
  });

  route(router, revise, async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const key = editKey(req.get(EDIT_KEY_HEADER));
    const ip = req.ip ?? 'unknown';
    const open = await responses.openRound(token, ip);
    res.json(await responses.revise(open, req.body, { key, ip }));
  });

  route(router, readBack, async (req, res) => {
    const { token } = parseInput(LinkTokenParams, req.params);
    const key = editKey(req.get(EDIT_KEY_HEADER));
    const open = await responses.openRound(token, req.ip ?? 'unknown');
    const answer = await responses.answerOf(open, key);
    if (!answer)
      throw new NotFoundError(
        'RESPONSE_NOT_FOUND',
        'There is no answer for this edit key in this round.',
      );
    res.json(answer);
  });

  return router;
}
