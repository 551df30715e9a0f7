import { Router } from 'express';
import { pageActor, requireLogin } from '../accounts';
import type { ResponseCounter, RoundService } from '../rounds';
import type { TeamService } from '../teams';
import { hasRole, type WorkspaceService } from '../workspaces';
import { toDashboardView } from './dashboard.view-model';

export function createDashboardPagesRouter(deps: {
  teams: TeamService;
  rounds: RoundService;
  responses: ResponseCounter;
  workspaces: WorkspaceService;
}): Router {
  const router = Router();

  /** GET /dashboard — every active team with its rounds, their status and response counts */
  router.get('/dashboard', requireLogin, async (_req, res) => {
    const actor = pageActor(res);
    const [workspace, teams, rounds] = await Promise.all([
      deps.workspaces.get(actor),
      deps.teams.list(actor),
      deps.rounds.list(actor),
    ]);
    res.render(
      'dashboard/show',
      toDashboardView({
        workspaceName: workspace.name,
        canEdit: hasRole(actor.role, 'coach'),
        teams,
        rounds,
        statusOf: deps.rounds.effectiveStatus,
        counts: await deps.responses.countByRound(rounds.map((r) => r.id)),
      }),
    );
  });

  return router;
}
