// Teams: a workspace's teams, with tags for grouping comparisons, renamed and archived by
// coaches. Depends on workspaces (permissions) and accounts (authentication of pages and API).
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import { createTeamApiRouter } from './team.api';
import { createTeamPagesRouter, type TeamActionLister, type TeamRoundLister } from './team.pages';
import { createTeamRepository } from './team.repository';
import { createTeamService } from './team.service';

export type { Team } from './team.types';
export type { TeamService } from './team.service';
export type { TeamActionLister, TeamRoundLister } from './team.pages';
export { TeamDto } from './team.schemas';
export { teamUrl } from './team.view-model';

export function createTeamsModule(deps: {
  conn: Connection;
  clock: () => Date;
  preparation: Preparation;
}) {
  const repository = createTeamRepository(deps.conn);
  deps.preparation.add({ name: 'teams', run: () => repository.init() });
  const service = createTeamService({
    repository,
    clock: deps.clock,
  });
  return {
    service,
    apiRouter: createTeamApiRouter({ teams: service }),
    /** The pages show each team's rounds and actions, which those features provide. */
    pagesRouter: (listers: { roundsOf: TeamRoundLister; actionsOf: TeamActionLister }) =>
      createTeamPagesRouter({ teams: service, ...listers }),
  };
}
