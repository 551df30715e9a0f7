import type { Round, RoundStatus } from '../rounds';
import { toRoundSummary } from '../rounds';
import type { Team } from '../teams';

export function toDashboardView(input: {
  workspaceName: string;
  canEdit: boolean;
  teams: readonly Team[];
  rounds: readonly Round[];
  statusOf: (round: Round) => RoundStatus;
  counts: ReadonlyMap<string, number>;
  /** Open actions of these teams, most urgent first. */
  actions: readonly Readonly<{ teamId: string; overdue: boolean }>[];
}) {
  const sizes = new Map(input.teams.map((t) => [t.id, t.expectedSize]));
  const summaries = input.rounds.map((r) => ({
    teamId: r.teamId,
    ...toRoundSummary(
      r,
      input.statusOf(r),
      input.counts.get(r.id) ?? 0,
      sizes.get(r.teamId) ?? null,
    ),
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
