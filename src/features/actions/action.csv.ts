import { safeFileName, toCsv } from '../../shared/csv';
import type { Actor } from '../workspaces';
import type { ActionService } from './action.service';
import { briefOf, type DescribedAction } from './action.types';
import { poleText } from './action.view-model';

const HEADER = [
  'title',
  'status',
  'overdue',
  'owner',
  'dueOn',
  'sourceRound',
  'sourceRoundId',
  'itemId',
  'item',
  'target',
  'notes',
  'createdAt',
  'updatedAt',
];

/** A team's actions, one row each; text cells neutralised against formulas by toCsv. */
export function actionsCsv(list: readonly DescribedAction[], today: string): string {
  return toCsv(
    HEADER,
    list.map((d) => {
      const brief = briefOf(d, today);
      return [
        brief.title,
        brief.status,
        brief.overdue,
        brief.owner,
        brief.dueOn,
        d.sourceRound.title,
        d.sourceRound.id,
        d.action.itemId,
        d.item ? `${d.item.number}. ${d.item.title}` : null,
        poleText(brief),
        brief.notes,
        d.action.createdAt.toISOString(),
        d.action.updatedAt.toISOString(),
      ];
    }),
  );
}

/** The team's actions as a CSV download, for the API and the team page alike. */
export async function actionsFile(actions: ActionService, actor: Actor, teamId: string) {
  const [team, list] = await Promise.all([
    actions.teamOf(actor, teamId),
    actions.list(actor, teamId),
  ]);
  return {
    fileName: safeFileName(['teamlens', team.name, 'actions'], 'csv'),
    body: actionsCsv(list, actions.today()),
  };
}
