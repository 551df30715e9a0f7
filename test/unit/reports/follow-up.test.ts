import type { DescribedAction } from '../../../src/features/actions';
import { followUpOf } from '../../../src/features/reports/follow-up';
import { followUpView } from '../../../src/features/reports/follow-up.view-model';
import type {
  Comparability,
  ItemReport,
  RoundReport,
} from '../../../src/features/reports/report.types';
import { aComparability, aRoundReport, aTensionReport } from '../../support/reports';

const tension = (answers: number[], options: { suppressed?: boolean } = {}) =>
  aTensionReport('pace', answers, { ...options, left: 'Slow', right: 'Fast' });
/** The follow-up, with the item the same in both rounds' versions unless said otherwise. */
const followUp = (
  described: DescribedAction,
  source: RoundReport | null,
  current: RoundReport,
  today: string,
  comparability: Comparability = aComparability(['pace']),
) => followUpOf(described, source, current, today, comparability);
const report = (id: string, items: ItemReport[], slug = 'q') => aRoundReport(items, { id, slug });

function action(overrides: Partial<DescribedAction['action']> = {}): DescribedAction {
  return {
    action: {
      id: 'a1',
      workspaceId: 'w',
      teamId: 't',
      sourceRoundId: 'r1',
      itemId: 'pace',
      pole: 'right',
      title: 'Ship smaller slices',
      owner: null,
      dueOn: '2026-05-01',
      status: 'open',
      notes: '',
      createdAt: new Date(0),
      updatedAt: new Date(0),
      ...overrides,
    },
    sourceRound: { id: 'r1', title: 'Spring', startedAt: new Date(0) },
    item:
      overrides.itemId === null
        ? null
        : { id: 'pace', number: 1, kind: 'tension', title: 'Pace', left: 'Slow', right: 'Fast' },
  };
}

const TODAY = '2026-06-01';

describe('followUpOf', () => {
  it('gives the item then and now, the change, and whether the team moved towards its pole', () => {
    const f = followUp(
      action(),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [tension([4, 5, 5])]),
      TODAY,
    );

    expect(f.comparison).toBe('compared');
    expect(f.before).toMatchObject({ n: 3, lean: 'left' });
    expect(f.before!.mean).toBeCloseTo(7 / 3, 10);
    expect(f.after!.mean).toBeCloseTo(14 / 3, 10);
    expect(f.change).toBeCloseTo(7 / 3, 10);
    expect(f.towardsTarget).toBe(true);
    expect(f.overdue).toBe(true);
  });

  it('says the team did not move towards the pole when the mean went the other way or stayed', () => {
    const away = followUp(
      action({ pole: 'left' }),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [tension([4, 5, 5])]),
      TODAY,
    );
    const still = followUp(
      action(),
      report('r1', [tension([4, 4, 4])]),
      report('r2', [tension([4, 4, 4])]),
      TODAY,
    );
    expect(away.towardsTarget).toBe(false);
    expect(still).toMatchObject({ change: 0, towardsTarget: false });
  });

  it('shows no figure on either side when one side is below k', () => {
    for (const [then, now] of [
      [tension([2, 2], { suppressed: true }), tension([4, 5, 5])],
      [tension([2, 2, 3]), tension([4, 5], { suppressed: true })],
    ] as const) {
      const f = followUp(action(), report('r1', [then]), report('r2', [now]), TODAY);
      expect(f).toMatchObject({
        comparison: 'below-k',
        before: null,
        after: null,
        change: null,
        towardsTarget: null,
      });
    }
  });

  it('says an item without figures (suppressed nowhere) has none to compare', () => {
    const textOnly = { ...tension([2, 2, 3]), figures: null };
    const f = followUp(action(), report('r1', [textOnly]), report('r2', [textOnly]), TODAY);
    expect(f).toMatchObject({ comparison: 'no-figures', before: null, after: null });
  });

  it('marks an item that a new questionnaire version changed as not comparable', () => {
    const f = followUp(
      action(),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [tension([4, 5, 5])]),
      TODAY,
      aComparability(['pace'], { pace: 'changed' }),
    );
    expect(f).toMatchObject({ comparison: 'not-comparable', before: null, after: null });
  });

  it('compares an item that a new version only reworded', () => {
    const f = followUp(
      action(),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [{ ...tension([4, 5, 5]), title: 'The pace we keep' }]),
      TODAY,
      aComparability(['pace'], { pace: 'reworded' }),
    );
    expect(f).toMatchObject({ comparison: 'compared', towardsTarget: true });
    expect(f.change).toBeCloseTo(7 / 3, 10);
  });

  it('does not compare means on scales of different sizes, even when called reworded', () => {
    const f = followUp(
      action(),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [{ ...tension([4, 5, 5]), points: 5 }]),
      TODAY,
      aComparability(['pace'], { pace: 'reworded' }),
    );
    expect(f).toMatchObject({ comparison: 'not-comparable', change: null });
  });

  it('says a round of another questionnaire does not ask the item', () => {
    const f = followUp(
      action(),
      report('r1', [tension([2, 2, 3])]),
      report('r2', [tension([4, 5, 5])], 'other'),
      TODAY,
      aComparability(['pace'], { pace: 'absent' }),
    );
    expect(f).toMatchObject({ comparison: 'not-asked', before: null });
  });

  it('keeps an action without an item, with its status and nothing to compare', () => {
    const f = followUp(
      action({ itemId: null, pole: null, status: 'done' }),
      report('r1', []),
      report('r2', []),
      TODAY,
    );
    expect(f).toMatchObject({ comparison: null, status: 'done', overdue: false, item: null });
  });

  it('is not overdue on its due day, only after it', () => {
    const f = followUp(action(), null, report('r2', []), '2026-05-01');
    expect(f.overdue).toBe(false);
  });
});

describe('followUpView', () => {
  const view = (before: number[], after: number[]) =>
    followUpView(
      followUp(action(), report('r1', [tension(before)]), report('r2', [tension(after)]), TODAY),
      { itemsShown: true },
    );

  // A move bought with a fall in consensus is never told as a plain success; without a move,
  // what consensus did is said too.
  it.each([
    [[2, 2, 2], [3, 7, 7], 'Moved towards “Fast”, but consensus fell.', 'mixed'],
    [[1, 3, 5], [5, 5, 5], 'Moved towards “Fast” and consensus rose.', 'yes'],
    [[2, 2, 2], [5, 5, 5], 'Moved towards “Fast”.', 'yes'],
    [[5, 5, 5], [1, 3, 4], 'Did not move towards “Fast”, and consensus fell.', 'no'],
    [[3, 5, 7], [3, 3, 3], 'Did not move towards “Fast”; consensus rose.', 'no'],
  ])('from %p to %p says %p (%p)', (before, after, verdict, tone) => {
    expect(view(before, after)).toMatchObject({ verdict, tone });
  });
});
