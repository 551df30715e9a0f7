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

const teamIdParameter = idParameter('teamId', 'team', TeamIdParams.shape.teamId);

const listTeams: ApiOperation = {
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
      schema: parameterSchema(TeamListQuery.shape.archived.unwrap()),
    },
  ],
  responses: { 200: { description: 'The teams', schema: 'TeamList' } },
};

const createTeam: ApiOperation = {
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
    409: { description: 'A team with this name exists (`TEAM_NAME_TAKEN`)', schema: 'Error' },
  },
};

const getTeam: ApiOperation = {
  method: 'get',
  path: '/teams/{teamId}',
  tag: 'Teams',
  access: 'viewer',
  summary: 'Get a team',
  parameters: [teamIdParameter],
  responses: { 200: { description: 'The team', schema: 'Team' }, 404: apiErrors[404] },
};

const updateTeam: ApiOperation = {
  method: 'patch',
  path: '/teams/{teamId}',
  tag: 'Teams',
  access: 'coach',
  summary: 'Rename, retag, set the expected size, archive or restore a team',
  description:
    'With `expectedSize`, the team’s rounds and reports carry `expected` and `responseRate`; `null` forgets the size. `archived: true` also closes the team’s open rounds (nobody answers an archived team): the answer lists them in `closedRounds`. Restoring opens none again.',
  parameters: [teamIdParameter],
  requestBody: { schema: 'UpdateTeam' },
  responses: {
    200: { description: 'The team', schema: 'Team' },
    404: apiErrors[404],
    409: apiErrors[409],
  },
};

/** The OpenAPI description of the routes below. */
export const teamApi: ApiDescription = {
  operations: [listTeams, createTeam, getTeam, updateTeam],
  schemas: {
    CreateTeam: { schema: CreateTeamInput, io: 'input' },
    UpdateTeam: { schema: UpdateTeamInput, io: 'input' },
    Team: { schema: TeamDto, io: 'output' },
    TeamList: { schema: TeamListDto, io: 'output' },
  },
};

/** JSON of teams, mounted at the root of /api/v1. */
export function createTeamApiRouter({ teams }: { teams: TeamService }): Router {
  const router = Router();

  route(router, listTeams, async (req, res) => {
    const actor = apiActor(res);
    const { archived } = parseInput(TeamListQuery, req.query);
    const list = await teams.list(actor, { includeArchived: archived === 'true' });
    res.json({ items: list.map((team) => toTeamDto(team, actor.role)) });
  });

  route(router, createTeam, async (req, res) => {
    const actor = apiActor(res);
    res.status(201).json(toTeamDto(await teams.create(actor, req.body), actor.role));
  });

  route(router, getTeam, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    res.json(toTeamDto(await teams.get(actor, teamId), actor.role));
  });

  route(router, updateTeam, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    const updated = await teams.update(actor, teamId, req.body);
    res.json({
      ...toTeamDto(updated, actor.role),
      ...(updated.closedRounds ? { closedRounds: updated.closedRounds } : {}),
    });
  });

  return router;
}
