import { NotFoundError } from '../../shared/errors';
import {
  linksTo,
  parameterSchema,
  reply,
  route,
  type ApiParameter,
  type ApiRouter,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiRouter } from '../accounts';
import { InvitationToken } from '../invitations';
import type { Actor } from '../workspaces';
import {
  LinkTokenParams,
  RespondentKey,
  RespondentRoundDto,
  ResponseInput,
  StoredAnswersDto,
  SubmittedDto,
} from './response.schemas';
import type { ResponseService } from './response.service';

const EDIT_KEY_HEADER = 'x-edit-key';

/** The headers are read by the handlers (a missing key has its own message), so declared here. */
const editKeyHeader = (required: boolean, description: string): ApiParameter => ({
  name: 'X-Edit-Key',
  in: 'header',
  required,
  description,
  schema: parameterSchema(RespondentKey),
});
const theEditKey = editKeyHeader(true, 'The edit key returned when the answer was submitted');

/** What answers every operation on a respondent link that opens its round. */
const linkErrors = [
  'ROUND_LINK_NOT_FOUND',
  'ROUND_NOT_STARTED',
  ['ROUND_CLOSED', 410],
  'RATE_LIMITED',
] as const;

/** Answers to one round are stored one at a time; a write that waits 30 s gives up. */
const writeErrors = linkErrors;

/**
 * JSON for answering a round through its link, for other front ends (no account), mounted at
 * the root of /api/v1.
 */
export function createResponseApiRouter({
  responses,
}: {
  responses: ResponseService;
}): ApiRouter<Actor> {
  const api = apiRouter();
  const editKey = (value: string | undefined) => parseInput(RespondentKey, value ?? '');

  route(
    api,
    {
      method: 'get',
      path: '/r/{token}',
      tag: 'Respondents',
      access: 'public',
      summary: 'The open round behind a respondent link, with its questionnaire',
      params: LinkTokenParams,
      responses: {
        200: RespondentRoundDto,
      },
      errors: linkErrors,
    },
    async ({ params, req }) => {
      const { round, definition, teamName } = await responses.openRound(
        params.token,
        req.ip ?? 'unknown',
      );
      return {
        round: {
          title: round.title,
          teamName,
          anonymity: round.anonymity,
          access: round.access,
          closesAt: round.closesAt?.toISOString() ?? null,
        },
        questionnaire: definition,
      };
    },
  );

  /**
   * 201 with the edit key (shown only now). A client may send a key of its own in X-Edit-Key:
   * retrying with it after a lost answer (timeout, 503) stores one response, not two (200 when
   * it replaced the earlier one).
   */
  route(
    api,
    {
      method: 'post',
      path: '/r/{token}',
      tag: 'Respondents',
      access: 'public',
      summary: 'Submit an answer',
      description:
        '`{answers: [...], name?, role?}`: `{itemId, value, desired?}` for tension and maturity, `{itemId, text, rating?}` for practice, `{itemId, classes: {aspect: "driver"|"constraint"|"float"}}` for dcf. Answers are checked against the round’s questionnaire version. The edit key in the answer is the only way back to it.',
      headers: [
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
      ],
      params: LinkTokenParams,
      body: ResponseInput,
      responses: {
        201: {
          body: SubmittedDto,
          links: linksTo(
            [
              ['put', '/r/{token}'],
              ['get', '/r/{token}/response'],
            ],
            { token: '$request.path.token', 'header.X-Edit-Key': '$response.body#/editKey' },
          ),
        },
        200: { description: 'Stored again under the same X-Edit-Key', body: SubmittedDto },
      },
      errors: [...writeErrors, 'INVITATION_REQUIRED', 'INVITATION_USED'],
    },
    async ({ params, body, req }) => {
      const supplied = req.get(EDIT_KEY_HEADER);
      const ip = req.ip ?? 'unknown';
      const open = await responses.openRound(params.token, ip);
      const invitation = req.get('X-Invitation');
      const { key, day, outcome } = await responses.submit(open, body, {
        ip,
        ...(supplied === undefined ? {} : { key: editKey(supplied) }),
        ...(invitation === undefined ? {} : { invitation }),
      });
      return reply(outcome === 'created' ? 201 : 200, { editKey: key, day });
    },
  );

  route(
    api,
    {
      method: 'put',
      path: '/r/{token}',
      tag: 'Respondents',
      access: 'public',
      summary: 'Revise the answer of the `X-Edit-Key` header',
      headers: [theEditKey],
      params: LinkTokenParams,
      body: ResponseInput,
      responses: { 200: { description: 'Replaced; the body has the day' } },
      errors: [...writeErrors, 'RESPONSE_NOT_FOUND'],
    },
    // Documented without a schema (as before this declaration), so sent as the service gives it.
    async ({ params, body, req, res }) => {
      const key = editKey(req.get(EDIT_KEY_HEADER));
      const ip = req.ip ?? 'unknown';
      const open = await responses.openRound(params.token, ip);
      res.json(await responses.revise(open, body, { key, ip }));
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/r/{token}/response',
      tag: 'Respondents',
      access: 'public',
      summary: 'Read back the answer of the `X-Edit-Key` header',
      headers: [theEditKey],
      params: LinkTokenParams,
      responses: {
        200: StoredAnswersDto,
      },
      errors: [...linkErrors, 'RESPONSE_NOT_FOUND'],
    },
    async ({ params, req }) => {
      const key = editKey(req.get(EDIT_KEY_HEADER));
      const open = await responses.openRound(params.token, req.ip ?? 'unknown');
      const answer = await responses.answerOf(open, key);
      if (!answer)
        throw new NotFoundError(
          'RESPONSE_NOT_FOUND',
          'There is no answer for this edit key in this round.',
        );
      return answer;
    },
  );

  return api;
}
