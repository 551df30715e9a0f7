import type {
  Comparability,
  RoundReport,
  TensionItemReport,
} from '../../src/features/reports/report.types';
import { describeScale, discussionOf, leanOf } from '../../src/features/reports/statistics';

/**
 * Round reports as the report service builds them, for unit tests of what is built on reports
 * (summary, follow-up, comparison): a tension item from its answers, and a report around items.
 */
export function aTensionReport(
  itemId: string,
  answers: number[],
  options: { suppressed?: boolean; left?: string; right?: string } = {},
): TensionItemReport {
  const h = Array.from({ length: 7 }, (_, i) => answers.filter((a) => a === i + 1).length);
  const figures = describeScale(h);
  const suppressed = options.suppressed ?? false;
  return {
    itemId,
    kind: 'tension',
    number: Number(itemId.replace(/\D/g, '')) || 1,
    dimension: 'd',
    title: `Tension ${itemId}`,
    suppressed,
    n: suppressed ? 0 : figures.n,
    figures: suppressed ? null : figures,
    cantSay: suppressed ? null : 0,
    points: 7,
    discussion: discussionOf({ consensus: figures.consensus, gap: null, points: 7 }),
    left: { label: options.left ?? 'Left', good: '', risk: '' },
    right: { label: options.right ?? 'Right', good: '', risk: '' },
    lean: suppressed ? null : leanOf(h),
    desired: null,
    gap: null,
    comments: [],
  };
}

export function aRoundReport(
  items: RoundReport['items'],
  overrides: Partial<RoundReport> & { id?: string; slug?: string } = {},
): RoundReport {
  const { id, slug, ...rest } = overrides;
  return {
    round: {
      id: id ?? 'r2',
      title: 'Autumn',
      status: 'closed',
      anonymity: 'anonymous',
      minGroupSize: 3,
      openedAt: new Date('2026-10-01T00:00:00Z'),
      closedAt: null,
      closesAt: null,
    },
    team: { id: 't', name: 'Team' },
    questionnaire: { slug: slug ?? 'q', version: 1, title: 'Q' },
    n: 6,
    participation: { n: 6, expected: 9, responseRate: 6 / 9, kReached: true, missingForK: 0 },
    suppressed: false,
    dimensions: [],
    items,
    discuss: [],
    ...rest,
  };
}

/**
 * What questionnaire lineage says of items between two rounds: each of `ids` the same in both,
 * unless `changes` says it was reworded or changed, or is absent from one of them.
 */
export function aComparability(
  ids: readonly string[],
  changes: Readonly<Record<string, 'reworded' | 'changed' | 'absent'>> = {},
): Comparability {
  return Object.fromEntries(
    ids.map((id) => {
      const change = changes[id] ?? 'same';
      return [id, { change, comparable: change === 'same' || change === 'reworded' }];
    }),
  );
}
