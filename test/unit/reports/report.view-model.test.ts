import {
  divergingShade,
  sequentialShade,
} from '../../../src/features/reports/comparison.view-model';
import {
  arrowBetween,
  calmText,
  cssString,
  discussReasonText,
  histogramChart,
  leanText,
  pickerChoice,
  tensionAxis,
} from '../../../src/features/reports/report.view-model';

describe('leanText', () => {
  it('never calls a split team balanced, and names both poles', () => {
    const text = leanText('split', 'Plan', 'Adapt');
    expect(text).toContain('split');
    expect(text).toContain('“Plan”');
    expect(text).toContain('“Adapt”');
    expect(text).not.toContain('balance');
  });

  it.each([
    ['left', 'The team leans to “Plan”.'],
    ['right', 'The team leans to “Adapt”.'],
    ['balanced', 'The team holds a balance between the two.'],
  ] as const)('says %p as %p', (lean, expected) => {
    expect(leanText(lean, 'Plan', 'Adapt')).toBe(expected);
  });
});

describe('discussReasonText', () => {
  const base = {
    consensus: 0.32,
    disputed: [],
    gap: null,
    lean: null,
    left: 'Plan',
    right: 'Adapt',
  };

  it('says "split" for a split tension and "little agreement" otherwise', () => {
    expect(discussReasonText({ ...base, reasons: ['disagreement'], lean: 'split' })).toBe(
      'split (consensus 0.32)',
    );
    expect(discussReasonText({ ...base, reasons: ['disagreement'] })).toBe(
      'little agreement (consensus 0.32)',
    );
  });

  it('says where the team wants to move, with the sign and the pole', () => {
    expect(discussReasonText({ ...base, reasons: ['gap'], gap: 1.62 })).toBe(
      'wants to move +1.6 towards “Adapt”',
    );
    expect(discussReasonText({ ...base, reasons: ['gap'], gap: -1.2 })).toBe(
      'wants to move −1.2 towards “Plan”',
    );
  });
});

describe('dcf on the discuss list', () => {
  it('names the aspects respondents disagree on', () => {
    expect(
      discussReasonText({
        reasons: ['disagreement'],
        consensus: null,
        disputed: ['User experience', 'Budget'],
        gap: null,
        lean: null,
        left: null,
        right: null,
      }),
    ).toBe('respondents disagree on User experience, Budget');
  });

  it('says why the list is empty by the rules that had something to judge', () => {
    const tension = { desiredMean: null };
    const dcf = { disputed: [] };
    expect(calmText({ tensions: [], ratings: [], dimensions: [], dcf: [dcf] } as never)).toBe(
      'No item stands out: respondents agree on every aspect.',
    );
    expect(calmText({ tensions: [tension], ratings: [], dimensions: [], dcf: [] } as never)).toBe(
      'No item stands out: consensus is 0.6 or more everywhere.',
    );
    expect(
      calmText({
        tensions: [{ desiredMean: 5 }],
        ratings: [],
        dimensions: [],
        dcf: [dcf],
      } as never),
    ).toBe(
      'No item stands out: consensus is 0.6 or more everywhere, no tension has a gap of 1 or more and respondents agree on every aspect.',
    );
  });
});

describe('tensionAxis', () => {
  it('draws today above the line and the wish below it, so they never cover each other', () => {
    const axis = tensionAxis(4, 4);
    const diamondTop = Math.min(
      ...axis.desired!.points.split(' ').map((p) => Number(p.split(',')[1])),
    );
    expect(axis.mean!.y + 7).toBeLessThanOrEqual(diamondTop);
    expect(axis.arrow).toBeNull();
  });

  it('draws an arrow from today towards the wish when they differ', () => {
    const axis = tensionAxis(2, 5);
    expect(Number(axis.arrow!.x1)).toBeLessThan(Number(axis.arrow!.x2));
    expect(axis.summary).toBe('today 2.00, where the team wants to be 5.00');
  });
});

describe('histogramChart', () => {
  it('stands each bar of a tension under its tick of the 1–7 axis, at the same width', () => {
    const axis = tensionAxis(4, null);
    const chart = histogramChart([1, 0, 2, 3, 0, 1, 5], ['1', '2', '3', '4', '5', '6', '7']);
    expect(chart.width).toBe(axis.width);
    expect(chart.bars.map((b) => b.center)).toEqual(axis.ticks.map((t) => t.x));
    expect(chart.bars.map((b) => b.label)).toEqual(axis.ticks.map((t) => t.label));
  });

  it.each([5, 7])('keeps every bar of a %p-point scale inside the chart, none overlapping', (k) => {
    const chart = histogramChart(Array(k).fill(1), []);
    const spans = chart.bars.map((b) => [Number(b.x), Number(b.x) + Number(b.width)] as const);
    expect(spans[0]![0]).toBeGreaterThanOrEqual(0);
    expect(spans.at(-1)![1]).toBeLessThanOrEqual(chart.width);
    spans.slice(1).forEach(([start], i) => expect(start).toBeGreaterThan(spans[i]![1]));
  });
});

describe('arrowBetween', () => {
  it('ends its head just short of the target, in either direction, and is null when too short', () => {
    expect(arrowBetween(100, 50, 20)).toEqual({
      x1: '100.0',
      x2: '57.0',
      head: '57.0,16 51.0,20 57.0,24',
    });
    expect(arrowBetween(50, 100, 20)?.x2).toBe('93.0');
    expect(arrowBetween(50, 58, 20)).toBeNull();
  });
});

describe('heat-map shades', () => {
  it('tells 62 from 78 on the sequential scale, and keeps 0 and 100 in range', () => {
    expect(sequentialShade(62)).not.toBe(sequentialShade(78));
    expect(sequentialShade(0)).toBe('s0');
    expect(sequentialShade(100)).toBe('s9');
    expect(sequentialShade(null)).toBe('none');
  });

  it.each([
    [1, 'dl3'],
    [2.4, 'dl2'],
    [3.2, 'dl1'],
    [3.5, 'd0'],
    [4, 'd0'],
    [4.5, 'd0'],
    [4.4, 'd0'],
    [5.6, 'dr2'],
    [7, 'dr3'],
  ])('puts a tension mean of %p on the diverging step %p', (mean, shade) => {
    expect(divergingShade(mean)).toBe(shade);
  });
});

describe('pickerChoice', () => {
  const teams = [
    {
      id: 'a',
      name: 'A',
      rounds: [
        {
          id: 'a1',
          title: 'Spring',
          slug: 'maturity',
          family: 'maturity',
          questionnaireTitle: 'Operating maturity',
          openedAt: new Date('2026-03-01'),
        },
        {
          id: 'a2',
          title: 'Tensions',
          slug: 'tensions',
          family: 'tensions',
          questionnaireTitle: 'Tensions',
          openedAt: new Date('2026-03-02'),
        },
        {
          id: 'a3',
          title: 'Autumn',
          slug: 'maturity',
          family: 'maturity',
          questionnaireTitle: 'Operating maturity',
          openedAt: new Date('2026-09-01'),
        },
      ],
    },
    {
      id: 'b',
      name: 'B',
      rounds: [
        {
          id: 'b1',
          title: 'Spring',
          slug: 'maturity',
          family: 'maturity',
          questionnaireTitle: 'Operating maturity',
          openedAt: new Date('2026-03-05'),
        },
      ],
    },
  ];

  it('offers the questionnaires by title first, and no rounds before one is picked', () => {
    const choice = pickerChoice(teams, undefined, []);
    expect(choice.questionnaires.map((q) => q.title)).toEqual(['Operating maturity', 'Tensions']);
    expect(choice.teams).toEqual([]);
  });

  it('offers only the rounds of the picked questionnaire, per team', () => {
    const choice = pickerChoice(teams, 'tensions', []);
    expect(choice.teams).toEqual([
      { id: 'a', name: 'A', rounds: [{ id: 'a2', title: 'Tensions', selected: false }] },
    ]);
  });

  it('infers the questionnaire from the chosen rounds, and calls a mixed choice mixed', () => {
    expect(pickerChoice(teams, undefined, ['a1', 'b1'])).toMatchObject({
      slug: 'maturity',
      mixed: false,
    });
    expect(pickerChoice(teams, undefined, ['a1', 'a2']).mixed).toBe(true);
    expect(pickerChoice(teams, 'tensions', ['b1']).mixed).toBe(true);
  });

  it('offers the rounds of a fork and of its origin together, and does not call them mixed', () => {
    const forked = [
      ...teams,
      {
        id: 'c',
        name: 'C',
        rounds: [
          {
            id: 'c1',
            title: 'Ours',
            slug: 'our-maturity',
            family: 'maturity',
            questionnaireTitle: 'Our maturity',
            openedAt: new Date('2026-04-01'),
          },
        ],
      },
    ];
    const choice = pickerChoice(forked, undefined, ['a1', 'c1']);
    expect(choice).toMatchObject({ slug: 'maturity', mixed: false });
    expect(choice.teams.find((t) => t.id === 'c')?.rounds).toEqual([
      { id: 'c1', title: 'Ours (Our maturity)', selected: true },
    ]);
    expect(pickerChoice(forked, 'our-maturity', ['b1', 'c1']).mixed).toBe(false);
    expect(pickerChoice(forked, 'tensions', ['c1']).mixed).toBe(true);
  });

  it('preselects each team’s latest round of the picked questionnaire, when none is chosen yet', () => {
    const choice = pickerChoice(teams, 'maturity', 'latest');
    expect(choice.teams.map((t) => t.rounds.filter((r) => r.selected).map((r) => r.id))).toEqual([
      ['a3'],
      ['b1'],
    ]);
    expect(choice.mixed).toBe(false);
  });
});

describe('cssString', () => {
  it('escapes everything but letters, digits and spaces, so no text can end the string', () => {
    const css = cssString('A "team" } @import; \\ é');
    expect(css).toBe('"A \\22 team\\22  \\7d  \\40 import\\3b  \\5c  \\e9 "');
    expect(css.slice(1, -1)).not.toMatch(/["{}<>;]/);
  });
});
