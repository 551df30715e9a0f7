import type { ActionBrief } from '../../../src/features/actions';
import {
  dimensionCell,
  isComparable,
  neutralLabel,
  notComparableItems,
  tensionPositions,
} from '../../../src/features/reports/comparison';
import {
  divergingShade,
  sequentialShade,
  toComparisonDto,
  toComparisonView,
  toTrendDto,
  toTrendView,
} from '../../../src/features/reports/comparison.view-model';
import { aComparability, aRoundReport, aTensionReport } from '../../support/reports';

const dimension = { key: 'd', label: 'D', description: '', itemIds: ['t1'] };

describe('heat-map shades', () => {
  it('has ten sequential steps, so 62 and 78 differ', () => {
    expect(sequentialShade(62)).toBe('s6');
    expect(sequentialShade(78)).toBe('s7');
    expect(sequentialShade(100)).toBe('s9');
    expect(sequentialShade(null)).toBe('none');
  });

  it('diverges from a neutral middle, three steps to each pole', () => {
    expect(divergingShade(4.4)).toBe('d0');
    expect(divergingShade(3.2)).toBe('dl1');
    expect(divergingShade(1)).toBe('dl3');
    expect(divergingShade(6.6)).toBe('dr3');
    expect(divergingShade(null)).toBe('none');
  });
});

describe('cells and positions', () => {
  it('shows no figure of a suppressed round or item', () => {
    const shown = aRoundReport([aTensionReport('t1', [2, 2, 3])], {
      dimensions: [{ ...dimension, suppressed: false, score: null, score100: null }],
    });
    const hidden = aRoundReport([aTensionReport('t1', [2, 2], { suppressed: true })], {
      suppressed: true,
      dimensions: [{ ...dimension, suppressed: true, score: null, score100: null }],
    });

    expect(dimensionCell(shown, 'd')).toMatchObject({ suppressed: false });
    expect(dimensionCell(shown, 'd').consensus).toBeGreaterThan(0);
    expect(dimensionCell(hidden, 'd')).toEqual({
      suppressed: true,
      score100: null,
      consensus: null,
    });
    expect(tensionPositions(hidden)).toEqual([
      { itemId: 't1', mean: null, desiredMean: null, lean: null },
    ]);
  });

  it('labels hidden teams A to Z, then AA', () => {
    expect([0, 25, 26, 27].map(neutralLabel)).toEqual(['Team A', 'Team Z', 'Team AA', 'Team AB']);
  });
});

describe('the comparison and trend JSON', () => {
  const reports = [
    aRoundReport([aTensionReport('t1', [2, 2, 3])], { id: 'r1' }),
    aRoundReport([aTensionReport('t1', [5, 6, 6])], { id: 'r2' }),
  ];

  it('hides team names and round ids when asked', () => {
    const dto = toComparisonDto({ reports, notComparable: [] }, { hideNames: true });
    expect(dto.teams.map((t) => [t.team, t.roundId])).toEqual([
      ['Team A', null],
      ['Team B', null],
    ]);
    expect(
      toComparisonDto({ reports, notComparable: [] }, { hideNames: false }).teams[1]?.roundId,
    ).toBe('r2');
  });

  it('puts each action at the round it came from, and names the team by id and name only', () => {
    const action = { id: 'a1', sourceRound: { id: 'r1', title: 'Spring' } } as ActionBrief;
    const dto = toTrendDto({
      team: { id: 't', name: 'Team', workspaceId: 'w', tags: ['x'] } as {
        id: string;
        name: string;
      },
      slug: 'q',
      reports,
      notComparable: [[], []],
      actions: [action],
    });
    expect(dto.team).toEqual({ id: 't', name: 'Team' });
    expect(dto.rounds.map((r) => r.actions.map((a) => a.id))).toEqual([['a1'], []]);
  });
});

describe('comparability by lineage', () => {
  const then = aTensionReport('t1', [2, 2, 3]);
  const now = aTensionReport('t1', [5, 6, 6]);

  it('compares an item that is the same or only reworded, on a scale of the same size', () => {
    expect(isComparable(aComparability(['t1']), then, now)).toBe(true);
    expect(isComparable(aComparability(['t1'], { t1: 'reworded' }), then, now)).toBe(true);
    expect(
      isComparable(aComparability(['t1'], { t1: 'reworded' }), then, { ...now, points: 5 }),
    ).toBe(false);
  });

  it('does not compare an item whose meaning changed, or that lineage does not know', () => {
    expect(isComparable(aComparability(['t1'], { t1: 'changed' }), then, now)).toBe(false);
    expect(isComparable(aComparability(['t1'], { t1: 'absent' }), then, now)).toBe(false);
    expect(isComparable({}, then, now)).toBe(false);
  });

  it('lists the items of both rounds that are not comparable, in the current round’s order', () => {
    const previous = aRoundReport([then, aTensionReport('t2', [4, 4, 4])], { id: 'r1' });
    const current = aRoundReport(
      [aTensionReport('t3', [1, 1, 1]), aTensionReport('t2', [4, 4, 4]), now],
      { id: 'r2' },
    );
    const comparability = aComparability(['t1', 't2', 't3'], { t1: 'changed', t3: 'absent' });
    expect(notComparableItems(previous, current, comparability)).toEqual([
      { itemId: 't1', number: 1, title: 'Tension t1' },
    ]);
  });
});

describe('the trend across a change of meaning', () => {
  const dimensions = [
    { ...dimension, label: 'Dim', score: null, score100: null, suppressed: false },
  ];
  const v2 = { slug: 'q', version: 2, title: 'Q' };
  const trend = (notComparable: string[][]) => ({
    team: { id: 't', name: 'Team' },
    slug: 'q',
    questionnaires: [],
    reports: [
      aRoundReport([aTensionReport('t1', [2, 2, 3])], { id: 'r1', dimensions }),
      aRoundReport([aTensionReport('t1', [5, 6, 6])], { id: 'r2', dimensions, questionnaire: v2 }),
    ],
    notComparable,
    actions: [],
  });

  it('draws no arrow into the round where the item’s meaning changed, and says why', () => {
    const chart = toTrendView(trend([[], ['t1']])).tensions[0]!;
    expect(chart.markers[1]).toMatchObject({ from: null, change: 'not comparable' });
    expect(chart.breakNote).toBe(
      'Its meaning changed in version 2 of the questionnaire: rounds from “2. Autumn” on are not comparable with the ones before.',
    );
    expect(chart.summary).toContain('2. Autumn 5.67 (not comparable)');
    const cells = toTrendView(trend([[], ['t1']])).tensionHeat!.rows[0]!.cells;
    expect(cells.map((c) => c.notComparable)).toEqual([false, true]);
    expect(toTrendDto(trend([[], ['t1']])).rounds.map((r) => r.notComparable)).toEqual([
      [],
      ['t1'],
    ]);
  });

  it('joins the rounds with an arrow and the change where the item stayed comparable', () => {
    const chart = toTrendView(trend([[], []])).tensions[0]!;
    expect(chart.markers[1]).toMatchObject({ change: '+3.33' });
    expect(chart.markers[1]!.from).not.toBeNull();
    expect(chart.breakNote).toBeNull();
  });
});

describe('the comparison of rounds whose questionnaires differ in an item’s meaning', () => {
  const shown = { ...dimension, score: null, score100: null, suppressed: false };
  it('marks that team’s position on it not comparable, in the chart, the heat map and the JSON', () => {
    const compared = {
      reports: [
        aRoundReport([aTensionReport('t1', [2, 2, 3])], {
          id: 'r1',
          team: { id: 'a', name: 'Alpha' },
          dimensions: [shown],
        }),
        aRoundReport([aTensionReport('t1', [5, 6, 6])], {
          id: 'r2',
          team: { id: 'b', name: 'Beta' },
          dimensions: [shown],
        }),
      ],
      notComparable: [[], ['t1']],
    };
    const view = toComparisonView(compared, { hideNames: false });
    const chart = view.tensions[0]!;
    expect(chart.markers.map((m) => m.change)).toEqual([null, 'not comparable']);
    expect(chart.breakNote).toBe(
      'Its meaning is not the same in the questionnaire version of Beta: not comparable with the others.',
    );
    expect(view.tensionHeat!.rows[0]!.cells.map((c) => c.notComparable)).toEqual([false, true]);
    expect(view.rows.map((r) => r.cells.map((c) => c.notComparable))).toEqual([[false], [true]]);
    expect(
      toComparisonDto(compared, { hideNames: true }).teams.map((t) => t.notComparable),
    ).toEqual([[], ['t1']]);
  });
});
