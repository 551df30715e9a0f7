import { toActionRow } from '../actions';
import { toReportView } from '../reports';
import type { SessionStatus, Stage } from './session.service';

/** "6 answered (of 9)", or "6 answered": the count as the room reads it from afar. */
function countText(status: SessionStatus): string {
  const { n, expected } = status.participation;
  return expected === null ? `${n} answered` : `${n} answered (of ${expected})`;
}

/** Anonymous rounds: whether the reveal may happen, said as the room needs it. */
function kText(status: SessionStatus): string | null {
  const { round, participation } = status;
  if (round.anonymity !== 'anonymous') return null;
  if (participation.kReached) return 'Enough answers to show the results.';
  const more = participation.missingForK;
  return `Results show from ${round.minGroupSize} answers: ${more === 1 ? '1 more' : `${more} more`} needed.`;
}

/**
 * What the presenter and the facilitator show of a session: before the reveal the round's
 * title, its link and the count only (the stage is null: the service gives nothing else); after
 * it the summary or the item at the current step, and the actions agreed so far.
 */
export function toRoomView(
  status: SessionStatus,
  stage: Stage | null,
  extra: { link: string; qrSvg: string; eventsUrl: string },
) {
  const report = stage
    ? toReportView(stage.report, { print: false, canAgree: false, audience: 'team' })
    : null;
  const items = new Map(
    (report?.dimensions ?? []).flatMap((d) => d.items).flatMap((i) => (i ? [[i.id, i]] : [])),
  );
  const order = stage?.order ?? [];
  const itemOf = (id: string) => items.get(id);
  const current = stage?.itemId ? itemOf(stage.itemId) : undefined;
  const step = stage?.itemId ? order.indexOf(stage.itemId) + 1 : 0;
  const shown = stage?.report.items.find((i) => i.itemId === stage.itemId);
  const tension = shown?.kind === 'tension' ? shown : null;
  return {
    state: status.state,
    collecting: status.state === 'collecting',
    revealed: status.state === 'revealed',
    ended: status.state === 'ended',
    version: status.session.version,
    eventsUrl: extra.eventsUrl,
    roundTitle: status.round.title,
    teamName: status.round.teamName ?? '',
    link: extra.link,
    qrSvg: extra.qrSvg,
    countText: countText(status),
    // Whether the reveal may come matters only until it came.
    kText: status.state === 'collecting' ? kText(status) : null,
    kReached: status.participation.kReached,
    /** Anonymous rounds' k, for the script that words the count as it changes; null when named. */
    k: status.round.anonymity === 'anonymous' ? status.round.minGroupSize : null,
    missingForK: status.participation.missingForK,
    suppressed: stage?.report.suppressed ?? false,
    /** The report view the summary partial reads (answeredText, summary, report). */
    report,
    showSummary: stage !== null && !stage.itemId,
    /** The item shown, without the coach's links (agree, follow-up pages). */
    item: current ? { ...current, agreed: [], followedUp: [], agreeUrl: null } : null,
    step,
    steps: order.length,
    hasPrevious: step > 0,
    previousStep: step - 1,
    hasNext: step < order.length,
    nextStep: step + 1,
    stepList: [
      { index: 0, label: 'Summary', current: step === 0 },
      ...order.map((id, i) => {
        const item = itemOf(id);
        return {
          index: i + 1,
          label: item ? `${item.number}. ${item.title}` : id,
          discuss: item?.discuss ?? false,
          current: step === i + 1,
        };
      }),
    ],
    /** A tension shown: the poles an action may move the team towards. */
    poles: tension ? { left: tension.left.label, right: tension.right.label } : null,
    agreed: (stage?.report.agreedActions ?? []).map(toActionRow),
  };
}

export type RoomView = ReturnType<typeof toRoomView>;
