import { linksTo, route, type ApiRouter } from '../../shared/http/openapi';
import { apiRouter } from '../accounts';
import type { Actor } from '../workspaces';
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

/** JSON of actions (a team's, and each one's own), mounted at the root of /api/v1. */
export function createActionApiRouter({ actions }: { actions: ActionService }): ApiRouter<Actor> {
  const api = apiRouter();

  route(
    api,
    {
      method: 'get',
      path: '/teams/{teamId}/actions',
      tag: 'Actions',
      access: 'viewer',
      summary: 'A team’s actions, most urgent first',
      description:
        'Open ones first (the soonest due first), then done and dropped ones, latest change first. An action whose round no longer exists is not listed.',
      params: TeamActionsParams,
      responses: { 200: ActionListDto },
      errors: ['TEAM_NOT_FOUND'],
    },
    async ({ actor, params }) => {
      const list = await actions.list(actor, params.teamId);
      return { items: list.map((d) => toActionDto(d.action, actions.today())) };
    },
  );

  route(
    api,
    {
      method: 'post',
      path: '/teams/{teamId}/actions',
      tag: 'Actions',
      access: 'coach',
      summary: 'Agree an action',
      description:
        'It comes from a round of this team that has been opened (`sourceRoundId`) and may target one of that round’s items (`itemId`), with a `pole` to move towards for a tension. The next round’s report of the same questionnaire follows it up with the item’s figures before and after.',
      params: TeamActionsParams,
      body: CreateActionInput,
      responses: {
        201: {
          body: ActionDto,
          links: linksTo(
            [
              ['get', '/actions/{actionId}'],
              ['patch', '/actions/{actionId}'],
              ['delete', '/actions/{actionId}'],
            ],
            { actionId: '$response.body#/id' },
          ),
        },
      },
      errors: ['TEAM_NOT_FOUND'],
    },
    async ({ actor, params, body }) =>
      toActionDto(await actions.create(actor, params.teamId, body), actions.today()),
  );

  route(
    api,
    {
      method: 'get',
      path: '/teams/{teamId}/actions.csv',
      tag: 'Actions',
      access: 'viewer',
      summary: 'A team’s actions as CSV',
      description:
        'One row per action, with its round and item; UTF-8 with a byte-order mark, text cells that could start a formula prefixed with an apostrophe.',
      params: TeamActionsParams,
      responses: { 200: { description: 'text/csv' } },
      errors: ['TEAM_NOT_FOUND'],
    },
    async ({ actor, params, res }) => {
      const file = await actionsFile(actions, actor, params.teamId);
      res.attachment(file.fileName).type('text/csv; charset=utf-8').send(file.body);
    },
  );

  route(
    api,
    {
      method: 'get',
      path: '/actions/{actionId}',
      tag: 'Actions',
      access: 'viewer',
      summary: 'Get an action',
      params: ActionIdParams,
      responses: { 200: ActionDto },
      errors: ['ACTION_NOT_FOUND'],
    },
    async ({ actor, params }) =>
      toActionDto(await actions.get(actor, params.actionId), actions.today()),
  );

  route(
    api,
    {
      method: 'patch',
      path: '/actions/{actionId}',
      tag: 'Actions',
      access: 'coach',
      summary: 'Change an action: title, owner, due day, notes, status or target pole',
      params: ActionIdParams,
      body: UpdateActionInput,
      responses: { 200: ActionDto },
      errors: ['ACTION_NOT_FOUND'],
    },
    async ({ actor, params, body }) =>
      toActionDto(await actions.update(actor, params.actionId, body), actions.today()),
  );

  route(
    api,
    {
      method: 'delete',
      path: '/actions/{actionId}',
      tag: 'Actions',
      access: 'coach',
      summary: 'Delete an action',
      description:
        'It disappears from every report; mark it `dropped` instead to keep its history.',
      params: ActionIdParams,
      responses: { 204: { description: 'Deleted' } },
      errors: ['ACTION_NOT_FOUND'],
    },
    async ({ actor, params }) => {
      await actions.remove(actor, params.actionId);
    },
  );

  return api;
}
