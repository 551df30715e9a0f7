// Rounds: one team answering one questionnaire version in a time window, with a respondent link
// and a status that only moves draft → open → closed. Depends on teams and questionnaires
// through narrow interfaces passed in, and on accounts for page and API authentication.
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import type { QuestionnaireRef } from '../questionnaires';
import type { Actor } from '../workspaces';
import { createRoundApiRouter } from './round.api';
import { createRoundPagesRouter } from './round.pages';
import { createRoundRepository } from './round.repository';
import { createRoundService } from './round.service';
import type { ResponseCounter, TeamSizes } from './round.types';
import { toRoundSummary } from './round.view-model';

export type { Round, RoundStatus, Anonymity, RoundAccess } from './round.types';
export type { RoundService } from './round.service';
export type { CountedRound, ResponseCounter } from './round.types';
export { effectiveStatus } from './round.types';
export { participationOf, participationText, type Participation } from './participation';
export { MIN_ANONYMOUS_GROUP, RoundDto, RoundIdParams, RoundListDto } from './round.schemas';
export { toRoundSummary, roundUrl } from './round.view-model';

export function createRoundsModule(deps: {
  conn: Connection;
  clock: () => Date;
  teams: {
    get: (
      actor: Actor,
      teamId: string,
    ) => Promise<{
      id: string;
      name: string;
      archivedAt: Date | null;
      expectedSize: number | null;
    }>;
    list: (actor: Actor) => Promise<readonly { id: string; name: string }[]>;
    /** Calls back when a team is renamed (its rounds keep its name for respondents). */
    onRenamed: (
      listener: (workspaceId: string, teamId: string, name: string) => Promise<void>,
    ) => void;
    /** Calls back when a team is archived: its open rounds close (answered: which). */
    onArchived: (
      listener: (
        workspaceId: string,
        teamId: string,
      ) => Promise<readonly { id: string; title: string }[]>,
    ) => void;
  } & TeamSizes;
  questionnaires: {
    useVersion: (workspaceId: string, slug: string, version?: number) => Promise<QuestionnaireRef>;
    list: (
      workspaceId: string | null,
    ) => Promise<readonly { slug: string; title: string; version: number }[]>;
    /** Asks, before a questionnaire is deleted, whether rounds use any of its versions. */
    answerRoundsUsing: (
      check: (workspaceId: string, versionIds: readonly string[]) => Promise<boolean>,
    ) => void;
  };
  responses: ResponseCounter;
  baseUrl: string;
  invitationsEnabled: boolean;
  preparation: Preparation;
}) {
  const repository = createRoundRepository(deps.conn);
  deps.preparation.add({ name: 'rounds', run: () => repository.init() });
  const service = createRoundService({
    baseUrl: deps.baseUrl,
    invitationsEnabled: deps.invitationsEnabled,
    repository,
    teams: deps.teams,
    questionnaires: deps.questionnaires,
    responses: deps.responses,
    clock: deps.clock,
  });
  deps.teams.onRenamed((workspaceId, teamId, name) =>
    service.teamRenamed(workspaceId, teamId, name),
  );
  deps.teams.onArchived((workspaceId, teamId) => service.closeOpenOfTeam(workspaceId, teamId));
  deps.questionnaires.answerRoundsUsing((workspaceId, versionIds) =>
    repository.anyUsing(workspaceId, versionIds),
  );
  return {
    service,
    /** A team's rounds with status and response count, for the team page. */
    roundsOfTeam: async (actor: Actor, teamId: string) =>
      (await service.withCounts(actor, await service.list(actor, { teamId }))).map(toRoundSummary),
    apiRouter: createRoundApiRouter({ rounds: service }),
    pagesRouter: createRoundPagesRouter({
      rounds: service,
      baseUrl: deps.baseUrl,
      teams: deps.teams,
      questionnaires: deps.questionnaires,
    }),
  };
}
