import { toCsv } from '../../shared/csv';
import type { DescribedAction } from './action.service';
import { isOverdue } from './action.types';
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
    list.map((d) => [
      d.action.title,
      d.action.status,
      isOverdue(d.action, today),
      d.action.owner,
      d.action.dueOn,
      d.sourceRound.title,
      d.sourceRound.id,
      d.action.itemId,
      d.item ? `${d.item.number}. ${d.item.title}` : null,
      poleText(d),
      d.action.notes,
      d.action.createdAt.toISOString(),
      d.action.updatedAt.toISOString(),
    ]),
  );
}
