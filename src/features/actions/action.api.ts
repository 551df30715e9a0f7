import { Router } from 'express';
import {
  apiErrors,
  idParameter,
  linksTo,
  route,
  type ApiDescription,
  type ApiOperation,
} from '../../shared/http/openapi';
import { parseInput } from '../../shared/http/validate';
import { apiActor } from '../accounts';
import { actionsFile } from './action.csv';
import {
  ActionDto,
  ActionIdParams,
  ActionListDto,
  CreateActionInput,
  TeamActionsParams,
  UpdateActionInput,
} from './action.schemas';
import type { ActionService } from './action.service';
import { toActionDto } from './action.view-model';

const teamIdParameter = idParameter('teamId', 'team', TeamActionsParams.shape.teamId);
const actionIdParameter = idParameter('actionId', 'action', ActionIdParams.shape.actionId);

const listActions: ApiOperation = {
  method: 'get',
  path: '/teams/{teamId}/actions',
  tag: 'Actions',
  access: 'viewer',
  summary: 'A team’s actions, most urgent first',
  description:
    'Open ones first (the soonest due first), then done and dropped ones, latest change first. An action whose round no longer exists is not listed.',
  parameters: [teamIdParameter],
  responses: { 200: { description: 'The actions', schema: 'ActionList' }, 404: apiErrors[404] },
};

const createAction: ApiOperation = {
  method: 'post',
  path: '/teams/{teamId}/actions',
  tag: 'Actions',
  access: 'coach',
  summary: 'Agree an action',
  description:
    'It comes from a round of this team that has been opened (`sourceRoundId`) and may target one of that round’s items (`itemId`), with a `pole` to move towards for a tension. The next round’s report of the same questionnaire follows it up with the item’s figures before and after.',
  parameters: [teamIdParameter],
  requestBody: { schema: 'CreateAction' },
  responses: {
    201: {
      description: 'The action',
      schema: 'Action',
      links: linksTo(
        [
          ['get', '/actions/{actionId}'],
          ['patch', '/actions/{actionId}'],
          ['delete', '/actions/{actionId}'],
        ],
        { actionId: '$response.body#/id' },
      ),
    },
    404: apiErrors[404],
  },
};

const actionsCsv: ApiOperation = {
  method: 'get',
  path: '/teams/{teamId}/actions.csv',
  tag: 'Actions',
  access: 'viewer',
  summary: 'A team’s actions as CSV',
  description:
    'One row per action, with its round and item; UTF-8 with a byte-order mark, text cells that could start a formula prefixed with an apostrophe.',
  parameters: [teamIdParameter],
  responses: { 200: { description: 'text/csv' }, 404: apiErrors[404] },
};

const getAction: ApiOperation = {
  method: 'get',
  path: '/actions/{actionId}',
  tag: 'Actions',
  access: 'viewer',
  summary: 'Get an action',
  parameters: [actionIdParameter],
  responses: { 200: { description: 'The action', schema: 'Action' }, 404: apiErrors[404] },
};

const updateAction: ApiOperation = {
  method: 'patch',
  path: '/actions/{actionId}',
  tag: 'Actions',
  access: 'coach',
  summary: 'Change an action: title, owner, due day, notes, status or target pole',
  parameters: [actionIdParameter],
  requestBody: { schema: 'UpdateAction' },
  responses: { 200: { description: 'The action', schema: 'Action' }, 404: apiErrors[404] },
};

const deleteAction: ApiOperation = {
  method: 'delete',
  path: '/actions/{actionId}',
  tag: 'Actions',
  access: 'coach',
  summary: 'Delete an action',
  description: 'It disappears from every report; mark it `dropped` instead to keep its history.',
  parameters: [actionIdParameter],
  responses: { 204: { description: 'Deleted' }, 404: apiErrors[404] },
};

/** The OpenAPI description of the routes below. */
export const actionApi: ApiDescription = {
  operations: [listActions, createAction, actionsCsv, getAction, updateAction, deleteAction],
  schemas: {
    CreateAction: { schema: CreateActionInput, io: 'input' },
    UpdateAction: { schema: UpdateActionInput, io: 'input' },
    Action: { schema: ActionDto, io: 'output' },
    ActionList: { schema: ActionListDto, io: 'output' },
  },
};

/** JSON of actions (a team's, and each one's own), mounted at the root of /api/v1. */
export function createActionApiRouter({ actions }: { actions: ActionService }): Router {
  const router = Router();

  route(router, listActions, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const list = await actions.list(actor, teamId);
    res.json({ items: list.map((d) => toActionDto(d.action, actions.today())) });
  });

  route(router, actionsCsv, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const file = await actionsFile(actions, actor, teamId);
    res.attachment(file.fileName).type('text/csv; charset=utf-8').send(file.body);
  });

  route(router, createAction, async (req, res) => {
    const actor = apiActor(res);
    const { teamId } = parseInput(TeamActionsParams, req.params);
    const action = await actions.create(actor, teamId, req.body);
    res.status(201).json(toActionDto(action, actions.today()));
  });

  route(router, getAction, async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    res.json(toActionDto(await actions.get(actor, actionId), actions.today()));
  });

  route(router, updateAction, async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    res.json(toActionDto(await actions.update(actor, actionId, req.body), actions.today()));
  });

  route(router, deleteAction, async (req, res) => {
    const actor = apiActor(res);
    const { actionId } = parseInput(ActionIdParams, req.params);
    await actions.remove(actor, actionId);
    res.status(204).end();
  });

  return router;
}
