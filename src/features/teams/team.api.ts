import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { TeamIdParams, TeamListQuery } from './team.schemas';
import type { TeamService } from './team.service';
import { toTeamDto } from './team.view-model';

/** JSON under /api/v1/teams. */
export function createTeamApiRouter({ teams }: { teams: TeamService }): Router {
  const router = Router();

  /** GET /teams — viewer */
  router.get('/', async (req, res) => {
    const actor = apiActor(res);
    const { archived } = parseInput(TeamListQuery, req.query);
    const list = await teams.list(actor, { includeArchived: archived === 'true' });
    res.json({ items: list.map(toTeamDto) });
  });

  /** POST /teams — coach */
  router.post('/', async (req, res) => {
    res.status(201).json(toTeamDto(await teams.create(apiActor(res), req.body)));
  });

  /** GET /teams/:teamId — viewer */
  router.get('/:teamId', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    res.json(toTeamDto(await teams.get(actor, teamId)));
  });

  /** PATCH /teams/:teamId — coach: rename, retag, archive or restore */
  router.patch('/:teamId', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamIdParams, req.params);
    res.json(toTeamDto(await teams.update(actor, teamId, req.body)));
  });

  return router;
}
