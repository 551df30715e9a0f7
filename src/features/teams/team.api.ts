import { linksTo, route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import type { Actor } from '../workspaces';
import {
  CreateTeamInput,
  TeamDto,
  TeamIdParams,
  TeamListDto,
  TeamListQuery,
  UpdateTeamInput,
} from './team.schemas';
import type { TeamService } from './team.service';
import { toTeamDto } from './team.view-model';

/** JSON of teams, mounted at the root of /api/v1. */
export function createTeamApiRouter({ teams }: { teams: TeamService }): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'get',
      path: '/teams',
      tag: 'Teams',
      access: 'viewer',
      summary: 'List the workspace’s teams',
      query: TeamListQuery,
      responses: { 200: TeamListDto },
    },
    async ({ actor, query }) => {
      const list = await teams.list(actor, { includeArchived: query.archived === 'true' });
      return { items: list.map((team) => toTeamDto(team, actor.role)) };
    },
  );

  route(
    api,
    {
      method: 'post',
      path: '/teams',
      tag: 'Teams',
      access: 'coach',
      summary: 'Create a team',
      body: CreateTeamInput,
      responses: {
        201: {
          body: TeamDto,
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
      },
      errors: ['TEAM_NAME_TAKEN'],
    },
    async ({ actor, body }) => toTeamDto(await teams.create(actor, body), actor.role),
  );

  route(
    api,
    {
      method: 'get',
      path: '/teams/{teamId}',
      tag: 'Teams',
      access: 'viewer',
      summary: 'Get a team',
      params: TeamIdParams,
      responses: { 200: TeamDto },
      errors: ['TEAM_NOT_FOUND'],
    },
    async ({ actor, params }) => toTeamDto(await teams.get(actor, params.teamId), actor.role),
  );

  route(
    api,
    {
      method: 'patch',
      path: '/teams/{teamId}',
      tag: 'Teams',
      access: 'coach',
      summary: 'Rename, retag, set the expected size, archive or restore a team',
      description:
        'With `expectedSize`, the team’s rounds and reports carry `expected` and `responseRate`; `null` forgets the size. `archived: true` also closes the team’s open rounds (nobody answers an archived team): the answer lists them in `closedRounds`. Restoring opens none again.',
      params: TeamIdParams,
      body: UpdateTeamInput,
      responses: { 200: TeamDto },
      errors: ['TEAM_NOT_FOUND', 'TEAM_NAME_TAKEN'],
    },
    async ({ actor, params, body }) => {
      const updated = await teams.update(actor, params.teamId, body);
      return {
        ...toTeamDto(updated, actor.role),
        ...(updated.closedRounds ? { closedRounds: [...updated.closedRounds] } : {}),
      };
    },
  );

  return api;
}
