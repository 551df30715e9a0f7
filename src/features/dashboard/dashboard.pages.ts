import { Router } from 'express';
import { pageActor, requireLogin } from '../accounts';
import { briefOf, toActionRow, type ActionService } from '../actions';
import type { RoundService } from '../rounds';
import type { TeamService } from '../teams';
import { hasRole, type WorkspaceService } from '../workspaces';
import { toDashboardView } from './dashboard.view-model';

export function createDashboardPagesRouter(deps: {
  teams: TeamService;
  rounds: RoundService;
  workspaces: WorkspaceService;
  actions: Pick<ActionService, 'ofTeams' | 'today'>;
}): Router {
  const router = Router();

  /** GET /dashboard — every active team with its rounds (status, answers) and open actions */
  router.get('/dashboard', requireLogin, async (_req, res) => {
    const actor = pageActor(res);
    const [workspace, teams, rounds] = await Promise.all([
      deps.workspaces.get(actor),
      deps.teams.list(actor),
      deps.rounds.list(actor),
    ]);
    const actions = await deps.actions.ofTeams(
      actor,
      teams.map((t) => t.id),
    );
    res.render(
      'dashboard/show',
      toDashboardView({
        workspaceName: workspace.name,
        canEdit: hasRole(actor.role, 'coach'),
        teams,
        rounds: await deps.rounds.withCounts(actor, rounds),
        actions: actions
          .filter((a) => a.action.status === 'open')
          .map((a) => ({
            teamId: a.action.teamId,
            ...toActionRow(briefOf(a, deps.actions.today())),
          })),
      }),
    );
  });

  return router;
}
