import type { CountedRound } from '../rounds';
import { toRoundSummary } from '../rounds';
import type { Team } from '../teams';

export function toDashboardView(input: {
  workspaceName: string;
  canEdit: boolean;
  teams: readonly Team[];
  /** The rounds with their status and responses so far (RoundService.withCounts). */
  rounds: readonly CountedRound[];
  /** Open actions of these teams, most urgent first. */
  actions: readonly Readonly<{ teamId: string; overdue: boolean }>[];
}) {
  const summaries = input.rounds.map((counted) => ({
    teamId: counted.round.teamId,
    ...toRoundSummary(counted),
  }));
  return {
    title: 'Dashboard',
    workspaceName: input.workspaceName,
    canEdit: input.canEdit,
    openCount: summaries.filter((r) => r.status === 'open').length,
    responseTotal: summaries.reduce((sum, r) => sum + r.responseCount, 0),
    openActions: input.actions.length,
    overdueActions: input.actions.filter((a) => a.overdue).length,
    teams: input.teams.map((team) => ({
      id: team.id,
      name: team.name,
      tags: team.tags,
      url: `/teams/${encodeURIComponent(team.id)}`,
      newRoundUrl: `/rounds/new?teamId=${encodeURIComponent(team.id)}`,
      rounds: summaries.filter((r) => r.teamId === team.id),
      actions: input.actions.filter((a) => a.teamId === team.id),
    })),
    isEmpty: input.teams.length === 0,
  };
}
