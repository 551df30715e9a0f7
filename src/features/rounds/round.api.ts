import { Router } from 'express';
import {
  apiErrors,
  idParameter,
  linksTo,
  parameterSchema,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import type { Actor } from '../workspaces';
import {
  CreateRoundInput,
  RoundDto,
  RoundIdParams,
  RoundListDto,
  RoundListQuery,
  UpdateRoundInput,
} from './round.schemas';
import type { RoundService } from './round.service';
import type { ResponseCounter, Round, TeamSizes } from './round.types';
import { toRoundDto } from './round.view-model';

const roundIdParameter = idParameter('roundId', 'round', RoundIdParams.shape.roundId);

const listRounds: ApiOperation = {
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
      schema: parameterSchema(RoundListQuery.shape.teamId.unwrap()),
    },
    {
      name: 'status',
      in: 'query',
      required: false,
      description: 'Only rounds stored with this status',
      schema: parameterSchema(RoundListQuery.shape.status.unwrap()),
    },
  ],
  responses: { 200: { description: 'The rounds', schema: 'RoundList' } },
};

const createRound: ApiOperation = {
  method: 'post',
  path: '/rounds',
  tag: 'Rounds',
  access: 'coach',
  summary: 'Create a draft round',
  description:
    'Locks the questionnaire version it uses. Anonymous rounds need `minGroupSize` ≥ 3. Conflicts: `TEAM_ARCHIVED`, `ROUND_CLOSES_IN_PAST`, `MAIL_OFF` (`access: "invited"` where invitations by e-mail are off). Every problem is found in one pass: with more than one (or any invalid field), the answer is 400 `VALIDATION_FAILED` listing each in `details`, those above included.',
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
    404: {
      description:
        'Unknown team or questionnaire version (`TEAM_NOT_FOUND`, `QUESTIONNAIRE_NOT_FOUND`)',
      schema: 'Error',
    },
    409: apiErrors[409],
  },
};

const getRound: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}',
  tag: 'Rounds',
  access: 'viewer',
  summary: 'Get a round with its response count',
  parameters: [roundIdParameter],
  responses: { 200: { description: 'The round', schema: 'Round' }, 404: apiErrors[404] },
};

const updateRound: ApiOperation = {
  method: 'patch',
  path: '/rounds/{roundId}',
  tag: 'Rounds',
  access: 'coach',
  summary: 'Correct a round’s title or closing date',
  description:
    'By the rules of a new round: a one-line title, a closing date in the future (`null`: open until closed). An open round’s new date holds for respondents at once. Conflicts: `ROUND_CLOSES_IN_PAST`; `ROUND_CLOSED` (a closed round’s date cannot change: a later one would open it again).',
  parameters: [roundIdParameter],
  requestBody: { schema: 'UpdateRound' },
  responses: {
    200: { description: 'The round', schema: 'Round' },
    404: apiErrors[404],
    409: { description: '`ROUND_CLOSES_IN_PAST` or `ROUND_CLOSED`', schema: 'Error' },
  },
};

const deleteRound: ApiOperation = {
  method: 'delete',
  path: '/rounds/{roundId}',
  tag: 'Rounds',
  access: 'coach',
  summary: 'Delete a draft round',
  description:
    'Only a draft, which nobody can have answered. An open or closed round is refused with `ROUND_NOT_DRAFT`: close it instead; its answers are kept.',
  parameters: [roundIdParameter],
  responses: {
    204: { description: 'Deleted' },
    404: apiErrors[404],
    409: { description: '`ROUND_NOT_DRAFT`', schema: 'Error' },
  },
};

/** POST /rounds/{roundId}/<action>: a status change or a new link, answered with the round. */
const changeOfRound = (
  action: 'open' | 'close' | 'rotate-link',
  summary: string,
  conflicts: ApiOperation['responses'],
): ApiOperation => ({
  method: 'post',
  path: `/rounds/{roundId}/${action}`,
  tag: 'Rounds',
  access: 'coach',
  summary,
  parameters: [roundIdParameter],
  responses: {
    200: { description: 'The round', schema: 'Round' },
    404: apiErrors[404],
    ...conflicts,
  },
});
const wrongStatus: ApiOperation['responses'] = {
  409: { description: '`ROUND_NOT_DRAFT` or `ROUND_NOT_OPEN`', schema: 'Error' },
};
const openRound = changeOfRound('open', 'Open a draft round for answers', wrongStatus);
const closeRound = changeOfRound('close', 'Close an open round', wrongStatus);
const rotateLink = changeOfRound(
  'rotate-link',
  'Replace the respondent link (the old one stops working at once)',
  {},
);

/** The OpenAPI description of the routes below. */
const linkQr: ApiOperation = {
  method: 'get',
  path: '/rounds/{roundId}/qr.svg',
  tag: 'Rounds',
  access: 'coach',
  summary: 'The respondent link as a QR code',
  description:
    'An SVG image (`image/svg+xml`) of the round’s respondent link, to show on a screen or print. A new link (rotate-link) makes a new code.',
  parameters: [roundIdParameter],
  responses: {
    200: { description: 'An SVG image' },
    404: apiErrors[404],
  },
};

export const roundApi: ApiDescription = {
  operations: [
    listRounds,
    createRound,
    getRound,
    updateRound,
    deleteRound,
    openRound,
    closeRound,
    rotateLink,
    linkQr,
  ],
  schemas: {
    CreateRound: { schema: CreateRoundInput, io: 'input' },
    UpdateRound: { schema: UpdateRoundInput, io: 'input' },
    Round: { schema: RoundDto, io: 'output' },
    RoundList: { schema: RoundListDto, io: 'output' },
  },
};

/** JSON of rounds, mounted at the root of /api/v1. */
export function createRoundApiRouter({
  rounds,
  responses,
  teams,
}: {
  rounds: RoundService;
  responses: ResponseCounter;
  teams: TeamSizes;
}): Router {
  const router = Router();

  async function dtos(actor: Actor, list: readonly Round[]) {
    const [counts, sizes] = await Promise.all([
      responses.countByRound(list.map((r) => r.id)),
      teams.getMany(actor, [...new Set(list.map((r) => r.teamId))]),
    ]);
    const expected = new Map(sizes.map((t) => [t.id, t.expectedSize]));
    return list.map((r) =>
      toRoundDto(
        r,
        rounds.effectiveStatus(r),
        counts.get(r.id) ?? 0,
        actor.role,
        expected.get(r.teamId) ?? null,
      ),
    );
  }
  const one = async (actor: Actor, round: Round) => (await dtos(actor, [round]))[0];

  route(router, listRounds, async (req, res) => {
    const actor = apiActor(res);
    const filter = parseInput(RoundListQuery, req.query);
    res.json({ items: await dtos(actor, await rounds.list(actor, filter)) });
  });

  route(router, createRound, async (req, res) => {
    const actor = apiActor(res);
    res.status(201).json(await one(actor, await rounds.create(actor, req.body)));
  });

  route(router, getRound, async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(await one(actor, await rounds.get(actor, roundId)));
  });

  route(router, updateRound, async (req, res) => {
    const actor = apiActor(res);
    const { roundId } = parseInput(RoundIdParams, req.params);
    res.json(await one(actor, await rounds.update(actor, roundId, req.body)));
  });

  route(router, deleteRound, async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    await rounds.remove(apiActor(res), roundId);
    res.status(204).end();
  });

  const changes = [
    [openRound, (actor: Actor, roundId: string) => rounds.open(actor, roundId)],
    [closeRound, (actor: Actor, roundId: string) => rounds.close(actor, roundId)],
    [rotateLink, (actor: Actor, roundId: string) => rounds.rotateLink(actor, roundId)],
  ] as const;
  for (const [operation, change] of changes) {
    route(router, operation, async (req, res) => {
      const actor = apiActor(res);
      const { roundId } = parseInput(RoundIdParams, req.params);
      res.json(await one(actor, await change(actor, roundId)));
    });
  }

  route(router, linkQr, async (req, res) => {
    const { roundId } = parseInput(RoundIdParams, req.params);
    const { svg } = await rounds.linkQr(apiActor(res), roundId);
    res.type('image/svg+xml').set('Cache-Control', 'private, no-store').send(svg);
  });

  return router;
}
