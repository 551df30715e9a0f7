import { apiErrors, linksTo, named, route, type ApiRouter } from '../../shared/http/openapi';
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

const Team = named('Team', TeamDto);

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
      responses: { 200: { description: 'The teams', body: named('TeamList', TeamListDto) } },
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
      body: named('CreateTeam', CreateTeamInput),
      responses: {
        201: {
          description: 'The team',
          body: Team,
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
      errors: { 409: 'A team with this name exists (`TEAM_NAME_TAKEN`)' },
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
      responses: { 200: { description: 'The team', body: Team } },
      errors: { 404: apiErrors[404] },
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
      body: named('UpdateTeam', UpdateTeamInput),
      responses: { 200: { description: 'The team', body: Team } },
      errors: { 404: apiErrors[404], 409: apiErrors[409] },
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
