import { movesBetween, summarize } from '../../../src/features/reports/summary';
import { aComparability, aRoundReport as report, aTensionReport } from '../../support/reports';

const tension = (itemId: string, answers: number[]) => aTensionReport(itemId, answers);

describe('movesBetween', () => {
  it('gives each item its mean then and now, and leaves out items whose meaning changed', () => {
    const before = report([tension('t1', [2, 2, 2]), tension('t2', [4, 4, 4])]);
    const after = report([tension('t1', [4, 4, 4]), tension('t2', [6, 6, 6])]);

    const { moves, notComparable } = movesBetween(
      before,
      after,
      aComparability(['t1', 't2'], { t1: 'reworded', t2: 'changed' }),
    );

    expect(moves).toEqual([
      expect.objectContaining({
        itemId: 't1',
        before: 2,
        after: 4,
        change: 2,
        leanAfter: 'balanced',
      }),
    ]);
    expect(notComparable).toEqual([{ itemId: 't2', number: 2, title: 'Tension t2' }]);
  });

  it('leaves out items without figures on either side (below k)', () => {
    const hidden = { ...tension('t1', [2, 2]), suppressed: true, figures: null };
    const { moves, notComparable } = movesBetween(
      report([hidden]),
      report([tension('t1', [5, 5, 5])]),
      aComparability(['t1'], { t1: 'changed' }),
    );
    expect(moves).toEqual([]);
    expect(notComparable).toEqual([]);
  });
});

describe('summarize', () => {
  it('lists the largest moves first, without the items that did not move, at most five', () => {
    const ids = ['t1', 't2', 't3', 't4', 't5', 't6', 't7'];
    const before = report(ids.map((id) => tension(id, [1, 1, 1])));
    const moved = [3, 1, 0, 6, 2, 4, 5]; // how far each item moves, in answer points
    const after = report(
      ids.map((id, i) => tension(id, [1 + moved[i]!, 1 + moved[i]!, 1 + moved[i]!])),
    );

    const summary = summarize(after, { report: before, comparability: aComparability(ids) });

    expect(summary.changes.map((c) => c.itemId)).toEqual(['t4', 't7', 't6', 't1', 't5']);
    expect(summary.previous).toMatchObject({ roundId: 'r2', versionChanged: false });
  });

  it('names the items it does not compare because their meaning changed', () => {
    const before = report([tension('t1', [1, 1, 1]), tension('t2', [1, 1, 1])]);
    const after = report([tension('t1', [3, 3, 3]), tension('t2', [7, 7, 7])], {
      questionnaire: { slug: 'q', version: 2, title: 'Q' },
    });
    const summary = summarize(after, {
      report: before,
      comparability: aComparability(['t1', 't2'], { t1: 'reworded', t2: 'changed' }),
    });
    expect(summary.changes.map((c) => c.itemId)).toEqual(['t1']);
    expect(summary).toMatchObject({
      previous: { version: 1, versionChanged: true },
      notComparable: 1,
      notComparableItems: [{ itemId: 't2', number: 2, title: 'Tension t2' }],
    });
  });

  it('has no previous round and no changes for a team’s first round', () => {
    const summary = summarize(report([tension('t1', [1, 7, 7])]), null);
    expect(summary).toMatchObject({ previous: null, changes: [], notComparable: 0 });
    expect(summary.tensions).toEqual([expect.objectContaining({ itemId: 't1', lean: 'split' })]);
  });

  it('shows no tension of a suppressed item', () => {
    const hidden = { ...tension('t1', [2, 2]), suppressed: true, figures: null };
    expect(summarize(report([hidden]), null).tensions).toEqual([]);
  });

  it('takes the first five of the discuss list and counts the rest', () => {
    const entry = (i: number) => ({
      itemId: `t${i}`,
      number: i,
      kind: 'tension' as const,
      title: `T${i}`,
      priority: 1 - i / 10,
      reasons: ['disagreement' as const],
      consensus: 0.1,
      disputed: [],
      gap: null,
      lean: null,
      left: 'L',
      right: 'R',
    });
    const summary = summarize(report([], { discuss: [1, 2, 3, 4, 5, 6, 7].map(entry) }), null);
    expect(summary.discuss.map((d) => d.itemId)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(summary.moreToDiscuss).toBe(2);
  });
});
