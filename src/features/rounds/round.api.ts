import { linksTo, route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
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
import type { Round } from './round.types';
import { toRoundDto } from './round.view-model';

const theRound = { 200: RoundDto };

/** JSON of rounds, mounted at the root of /api/v1. */
export function createRoundApiRouter({ rounds }: { rounds: RoundService }): ApiRouter<Actor> {
  const api = apiRouter();

  const dtos = async (actor: Actor, list: readonly Round[]) =>
    (await rounds.withCounts(actor, list)).map((counted) => toRoundDto(counted, actor.role));
  const one = async (actor: Actor, round: Round) => (await dtos(actor, [round]))[0];

  route(
    api,
    {
      method: 'get',
      path: '/rounds',
      tag: 'Rounds',
      access: 'viewer',
      summary: 'List rounds, newest first',
      query: RoundListQuery,
      responses: { 200: RoundListDto },
    },
    async ({ actor, query }) => ({ items: await dtos(actor, await rounds.list(actor, query)) }),
  );

  route(
    api,
    {
      method: 'post',
      path: '/rounds',
      tag: 'Rounds',
      access: 'coach',
      summary: 'Create a draft round',
      description:
        'Locks the questionnaire version it uses. Anonymous rounds need `minGroupSize` ≥ 3. Conflicts: `TEAM_ARCHIVED`, `ROUND_CLOSES_IN_PAST`, `MAIL_OFF` (`access: "invited"` where invitations by e-mail are off). Every problem is found in one pass: with more than one (or any invalid field), the answer is 400 `VALIDATION_FAILED` listing each in `details`, those above included.',
      // The service checks the shape and the rules beyond it in one pass (see its `create`).
      body: { schema: CreateRoundInput, checkedBy: 'handler' },
      responses: {
        201: {
          description: 'The round, with its link',
          body: RoundDto,
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
      },
      errors: [
        'TEAM_NOT_FOUND',
        'QUESTIONNAIRE_NOT_FOUND',
        'TEAM_ARCHIVED',
        'ROUND_CLOSES_IN_PAST',
        'MAIL_OFF',
      ],
    },
    async ({ actor, body }) => one(actor, await rounds.create(actor, body)),
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}',
      tag: 'Rounds',
      access: 'viewer',
      summary: 'Get a round with its response count',
      params: RoundIdParams,
      responses: theRound,
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, params }) => one(actor, await rounds.get(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'patch',
      path: '/rounds/{roundId}',
      tag: 'Rounds',
      access: 'coach',
      summary: 'Correct a round’s title or closing date',
      description:
        'By the rules of a new round: a one-line title, a closing date in the future (`null`: open until closed). An open round’s new date holds for respondents at once. Conflicts: `ROUND_CLOSES_IN_PAST`; `ROUND_CLOSED` (a closed round’s date cannot change: a later one would open it again).',
      params: RoundIdParams,
      body: UpdateRoundInput,
      responses: theRound,
      errors: ['ROUND_NOT_FOUND', 'ROUND_CLOSES_IN_PAST', ['ROUND_CLOSED', 409]],
    },
    async ({ actor, params, body }) => one(actor, await rounds.update(actor, params.roundId, body)),
  );

  route(
    api,
    {
      method: 'delete',
      path: '/rounds/{roundId}',
      tag: 'Rounds',
      access: 'coach',
      summary: 'Delete a draft round',
      description:
        'Only a draft, which nobody can have answered. An open or closed round is refused with `ROUND_NOT_DRAFT`: close it instead; its answers are kept.',
      params: RoundIdParams,
      responses: { 204: { description: 'Deleted' } },
      errors: ['ROUND_NOT_FOUND', 'ROUND_NOT_DRAFT'],
    },
    async ({ actor, params }) => {
      await rounds.remove(actor, params.roundId);
    },
  );

  /** POST /rounds/{roundId}/<action>: a status change or a new link, answered with the round. */
  const changes = [
    [
      'open',
      'Open a draft round for answers',
      ['ROUND_NOT_DRAFT'],
      (a: Actor, id: string) => rounds.open(a, id),
    ],
    [
      'close',
      'Close an open round',
      ['ROUND_NOT_OPEN'],
      (a: Actor, id: string) => rounds.close(a, id),
    ],
    [
      'rotate-link',
      'Replace the respondent link (the old one stops working at once)',
      [],
      (a: Actor, id: string) => rounds.rotateLink(a, id),
    ],
  ] as const;
  for (const [action, summary, conflicts, change] of changes) {
    route(
      api,
      {
        method: 'post',
        path: `/rounds/{roundId}/${action}`,
        tag: 'Rounds',
        access: 'coach',
        summary,
        params: RoundIdParams,
        responses: theRound,
        errors: ['ROUND_NOT_FOUND', ...conflicts],
      },
      async ({ actor, params }) => one(actor, await change(actor, params.roundId)),
    );
  }

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/qr.svg',
      tag: 'Rounds',
      access: 'coach',
      summary: 'The respondent link as a QR code',
      description:
        'An SVG image (`image/svg+xml`) of the round’s respondent link, to show on a screen or print. A new link (rotate-link) makes a new code.',
      params: RoundIdParams,
      responses: { 200: { description: 'An SVG image' } },
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, params, res }) => {
      const { svg } = await rounds.linkQr(actor, params.roundId);
      res.type('image/svg+xml').set('Cache-Control', 'private, no-store').send(svg);
    },
  );

  return api;
}
