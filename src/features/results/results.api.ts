import { reply, route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import { RoundIdParams } from '../rounds';
import type { Actor } from '../workspaces';
import { ResultsLinkDto } from './results.schemas';
import type { ResultsService, SharedLink } from './results.service';

const toDto = (link: SharedLink) => ({ ...link, createdAt: link.createdAt.toISOString() });

/** JSON of rounds' team results links, mounted at the root of /api/v1. */
export function createResultsApiRouter({ results }: { results: ResultsService }): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'post',
      path: '/rounds/{roundId}/results-link',
      tag: 'Team results',
      access: 'coach',
      summary: 'Make a closed round’s team results link',
      description:
        'A read-only page of the round for the team, without an account: the summary, the items and the actions agreed, never a name (even in named rounds) and never a figure of fewer than k answers (k at least 3, in named rounds too). 201 with a new link; 200 with the same link again when the round has one. Only a closed round (`ROUND_NOT_CLOSED` otherwise: nothing is stored).',
      params: RoundIdParams,
      responses: {
        201: { body: ResultsLinkDto, description: 'Made' },
        200: { body: ResultsLinkDto, description: 'The round had one already: the same link' },
      },
      errors: ['ROUND_NOT_FOUND', 'ROUND_NOT_CLOSED'],
    },
    async ({ actor, params }) => {
      const { link, created } = await results.create(actor, params.roundId);
      return reply(created ? 201 : 200, toDto(link));
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/rounds/{roundId}/results-link',
      tag: 'Team results',
      access: 'coach',
      summary: 'A round’s team results link',
      params: RoundIdParams,
      responses: { 200: ResultsLinkDto },
      errors: ['ROUND_NOT_FOUND', 'RESULTS_LINK_NOT_FOUND'],
    },
    async ({ actor, params }) => toDto(await results.get(actor, params.roundId)),
  );

  route(
    api,
    {
      method: 'delete',
      path: '/rounds/{roundId}/results-link',
      tag: 'Team results',
      access: 'coach',
      summary: 'Revoke a round’s team results link',
      description:
        'The link stops working at once (its page answers 404). A round without a link answers 204 too. A new link made later is a different one.',
      params: RoundIdParams,
      responses: { 204: { description: 'Revoked' } },
      errors: ['ROUND_NOT_FOUND'],
    },
    async ({ actor, params }) => {
      await results.revoke(actor, params.roundId);
    },
  );

  return api;
}
