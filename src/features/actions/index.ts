// Actions: what a team agreed to change after a round (DESIGN.md), linked to the round and,
// optionally, the item it targets, so the next round's report can follow it up. Depends on
// teams, rounds and questionnaires through narrow interfaces passed in by app.ts, and on
// accounts for page and API authentication.
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import { createActionApiRouter } from './action.api';
import { createActionPagesRouter } from './action.pages';
import { createActionRepository } from './action.repository';
import { createActionService, type ActionServiceDeps } from './action.service';
import { briefOf } from './action.types';
import { toActionRow } from './action.view-model';
import type { Actor } from '../workspaces';

export type { Action, ActionBrief, ActionStatus, DescribedAction, Pole } from './action.types';
export { briefOf } from './action.types';
export type { ActionService } from './action.service';
export { ActionBriefDto, ActionDto, CreateActionInput } from './action.schemas';
export { newActionUrl, toActionRow } from './action.view-model';

export function createActionsModule(
  deps: Omit<ActionServiceDeps, 'repository'> & {
    conn: Connection;
    preparation: Preparation;
  },
) {
  const { conn, preparation, ...rest } = deps;
  const repository = createActionRepository(conn);
  preparation.add({ name: 'actions', run: () => repository.init() });
  const service = createActionService({ ...rest, repository });
  return {
    service,
    apiRouter: createActionApiRouter({ actions: service }),
    pagesRouter: createActionPagesRouter({ actions: service }),
    /** A team's actions as rows for the team page (teams shows them, actions owns them). */
    rowsOfTeam: async (actor: Actor, teamId: string) =>
      (await service.list(actor, teamId)).map((d) => toActionRow(briefOf(d, service.today()))),
  };
}
