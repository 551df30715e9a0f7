import type { ActionBrief } from '../../../src/features/actions';
import {
  dimensionCell,
  neutralLabel,
  tensionPositions,
} from '../../../src/features/reports/comparison';
import {
  divergingShade,
  sequentialShade,
  toComparisonDto,
  toTrendDto,
} from '../../../src/features/reports/comparison.view-model';
import { aRoundReport, aTensionReport } from '../../support/reports';

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
    const dto = toComparisonDto(reports, { hideNames: true });
    expect(dto.teams.map((t) => [t.team, t.roundId])).toEqual([
      ['Team A', null],
      ['Team B', null],
    ]);
    expect(toComparisonDto(reports, { hideNames: false }).teams[1]?.roundId).toBe('r2');
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
      actions: [action],
    });
    expect(dto.team).toEqual({ id: 't', name: 'Team' });
    expect(dto.rounds.map((r) => r.actions.map((a) => a.id))).toEqual([['a1'], []]);
  });
});
