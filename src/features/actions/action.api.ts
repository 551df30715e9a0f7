import { Router } from 'express';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { actionsFile } from './action.csv';
import { ActionIdParams, TeamActionsParams } from './action.schemas';
import type { ActionService } from './action.service';
import { toActionDto } from './action.view-model';

/** JSON of actions: /api/v1/teams/:teamId/actions and /api/v1/actions/:actionId. */
export function createActionApiRouter({ actions }: { actions: ActionService }): Router {
  const router = Router();

  /** GET /teams/:teamId/actions — viewer */
  router.get('/teams/:teamId/actions', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const list = await actions.list(actor, teamId);
    res.json({ items: list.map((d) => toActionDto(d.action, actions.today())) });
  });

  /** GET /teams/:teamId/actions.csv — viewer: the team's actions for a spreadsheet */
  router.get('/teams/:teamId/actions.csv', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const file = await actionsFile(actions, actor, teamId);
    res.attachment(file.fileName).type('text/csv; charset=utf-8').send(file.body);
  });

  /** POST /teams/:teamId/actions — coach */
  router.post('/teams/:teamId/actions', async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const action = await actions.create(actor, teamId, req.body);
    res.status(201).json(toActionDto(action, actions.today()));
  });

  /** GET /actions/:actionId — viewer */
  router.get('/actions/:actionId', async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    res.json(toActionDto(await actions.get(actor, actionId), actions.today()));
  });

  /** PATCH /actions/:actionId — coach: title, owner, due day, notes, status, pole */
  router.patch('/actions/:actionId', async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    res.json(toActionDto(await actions.update(actor, actionId, req.body), actions.today()));
  });

  /** DELETE /actions/:actionId — coach */
  router.delete('/actions/:actionId', async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    await actions.remove(actor, actionId);
    res.status(204).end();
  });

  return router;
}
