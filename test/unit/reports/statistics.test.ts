import { isEffortAtRisk } from '../../../src/features/questionnaires/dcf';
import {
  aspectShares,
  consensus,
  dcfDiscussionOf,
  describeScale,
  dimensionScore,
  discussionOf,
  leanOf,
  mean,
  median,
  score100,
  sd,
} from '../../../src/features/reports/statistics';

/** Independent calculation from raw answers, to check the histogram formulas against. */
function fromAnswers(answers: number[]) {
  const n = answers.length;
  const m = answers.reduce((a, b) => a + b, 0) / n;
  const sorted = [...answers].sort((a, b) => a - b);
  const med = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const variance = answers.reduce((s, x) => s + (x - m) ** 2, 0) / n;
  return { mean: m, median: med, sd: Math.sqrt(variance) };
}

function histogramOf(answers: number[], points: number): number[] {
  const h = Array.from({ length: points }, () => 0);
  for (const a of answers) h[a - 1]! += 1;
  return h;
}

describe('consensus (Tastle & Wierman 2007)', () => {
  it.each([
    ['unanimity on a 5-point scale', [0, 0, 4, 0, 0], 1],
    ['unanimity at an extreme of a 7-point scale', [3, 0, 0, 0, 0, 0, 0], 1],
    ['an even split between the extremes (K = 5)', [2, 0, 0, 0, 2], 0],
    ['an even split between the extremes (K = 7)', [5, 0, 0, 0, 0, 0, 5], 0],
    ['a single answer (n = 1)', [0, 1, 0, 0, 0], 1],
  ])('is %s → %p', (_case, h, expected) => {
    expect(consensus(h)).toBeCloseTo(expected, 12);
  });

  it('matches a hand calculation for a mixed group', () => {
    // Answers 1, 2, 2, 5 on a 5-point scale: μ = 2.5, width 4.
    const expected =
      1 +
      0.25 * Math.log2(1 - 1.5 / 4) +
      0.5 * Math.log2(1 - 0.5 / 4) +
      0.25 * Math.log2(1 - 2.5 / 4);
    expect(consensus([1, 2, 0, 0, 1])).toBeCloseTo(expected, 12);
  });

  it('grows as answers come closer together', () => {
    const spread = consensus([1, 1, 1, 1, 1, 1, 1])!;
    const clustered = consensus([0, 0, 2, 3, 2, 0, 0])!;
    expect(clustered).toBeGreaterThan(spread);
    expect(spread).toBeGreaterThan(0);
    expect(clustered).toBeLessThan(1);
  });

  it('is null for no answers and refuses a one-point scale', () => {
    expect(consensus([0, 0, 0])).toBeNull();
    expect(() => consensus([3])).toThrow(RangeError);
  });
});

describe('mean, median and sd from a histogram', () => {
  it.each([
    [[4], 5],
    [[1, 5], 5],
    [[1, 2, 3, 4], 5],
    [[2, 2, 3, 3], 5],
    [[1, 1, 7, 7, 7, 4], 7],
    [[3, 5, 6, 6, 7, 1, 2, 2], 7],
  ])('for the answers %p (K = %i) equal a calculation from the raw answers', (answers, points) => {
    const h = histogramOf(answers, points);
    const raw = fromAnswers(answers);
    expect(mean(h)).toBeCloseTo(raw.mean, 12);
    expect(median(h)).toBe(raw.median);
    expect(sd(h)).toBeCloseTo(raw.sd, 12);
  });

  it('takes the mean of the two middle answers for an even n', () => {
    expect(median([1, 0, 0, 1])).toBe(2.5);
    expect(median([0, 2, 2, 0, 0])).toBe(2.5);
  });

  it('gives null statistics, never NaN, for an empty group', () => {
    const stats = describeScale([0, 0, 0, 0, 0]);
    expect(stats).toEqual({
      n: 0,
      histogram: [0, 0, 0, 0, 0],
      mean: null,
      median: null,
      sd: null,
      min: null,
      max: null,
      consensus: null,
    });
  });
});

describe('describeScale', () => {
  it('reports min and max of the answers given', () => {
    expect(describeScale([0, 2, 0, 1, 0])).toMatchObject({ n: 3, min: 2, max: 4 });
  });
});

/** A 7-point histogram of the answers given. */
const seven = (...answers: number[]) => histogramOf(answers, 7);

describe('tension lean', () => {
  it.each([
    [[1], 'left'],
    [[3, 3, 4], 'left'],
    [[2, 3, 4, 4], 'left'],
    [[3, 4, 4, 3], 'balanced'],
    [[3, 4, 4, 4], 'balanced'],
    [[4], 'balanced'],
    [[4, 4, 5, 5], 'balanced'],
    [[4, 5, 5, 5], 'right'],
    [[7], 'right'],
    [[], null],
  ])('answers %p lean %p (by the mean: below 3.5 left, above 4.5 right)', (answers, expected) => {
    expect(leanOf(seven(...answers))).toBe(expected);
  });

  it.each([
    ['pulls both ways, though the mean (4.5) is balanced', [1, 3, 3, 6, 7, 7]],
    ['a polarized team', [1, 1, 2, 6, 7, 7]],
    ['exactly a third on each side', [1, 4, 7]],
    ['a third on each side, a third in the middle', [2, 2, 4, 4, 6, 6]],
    ['a third each side with a left mean', [1, 1, 4, 4, 5, 5]],
  ])('is split when %s: %p', (_case, answers) => {
    expect(leanOf(seven(...answers))).toBe('split');
  });

  it.each([
    ['fewer than a third on the right (2 of 7)', [1, 1, 2, 3, 4, 6, 7], 'left'],
    ['fewer than a third on the left (1 of 4)', [1, 5, 6, 7], 'right'],
    ['the middle does not count for either side', [3, 4, 4, 4, 4, 5], 'balanced'],
  ])('is not split when %s', (_case, answers, expected) => {
    expect(leanOf(seven(...answers))).toBe(expected);
  });
});

describe('the discuss list', () => {
  it('puts an item on it for consensus below 0.6 (disagreement), with priority 1 − consensus', () => {
    const split = discussionOf({ consensus: 0.32, gap: null, points: 7 });
    expect(split).toMatchObject({ discuss: true, reasons: ['disagreement'] });
    expect(split.priority).toBeCloseTo(0.68, 12);
  });

  it('puts a tension on it for a gap of 1 or more either way, scaled by the width of the scale', () => {
    const wish = discussionOf({ consensus: 0.8, gap: -1.6, points: 7 });
    expect(wish).toMatchObject({ discuss: true, reasons: ['gap'] });
    expect(wish.priority).toBeCloseTo(0.2 + 1.6 / 6, 12);
    expect(discussionOf({ consensus: 0.8, gap: 1, points: 7 }).reasons).toEqual(['gap']);
  });

  it('gives both reasons and adds them up when both hold', () => {
    const both = discussionOf({ consensus: 0.5, gap: 3, points: 7 });
    expect(both.reasons).toEqual(['disagreement', 'gap']);
    expect(both.priority).toBeCloseTo(0.5 + 0.5, 12);
  });

  it.each([
    ['consensus exactly 0.6 and a gap just under 1', { consensus: 0.6, gap: 0.99, points: 7 }],
    ['consensus 1 and no desired answers', { consensus: 1, gap: null, points: 5 }],
    ['no figures (nobody answered, or below k)', { consensus: null, gap: 2, points: 7 }],
  ])('leaves an item off when %s', (_case, input) => {
    expect(discussionOf(input)).toEqual({ discuss: false, reasons: [], priority: null });
  });
});

describe('maturity scores', () => {
  it('maps a mean to 0–100', () => {
    expect(score100(1, 5)).toBe(0);
    expect(score100(3, 5)).toBe(50);
    expect(score100(5, 5)).toBe(100);
    expect(score100(null, 5)).toBeNull();
  });

  it("a dimension's score is the mean of its answered items' means", () => {
    expect(
      dimensionScore([
        { mean: 2, points: 5 },
        { mean: 4, points: 5 },
        { mean: null, points: 5 },
      ]),
    ).toEqual({ score: 3, score100: 50 });
    expect(dimensionScore([{ mean: null, points: 5 }])).toEqual({ score: null, score100: null });
  });
});

describe('drivers, constraints and floats', () => {
  it.each([
    [{ driver: 2, constraint: 2, float: 2 }, false],
    [{ driver: 3, constraint: 1, float: 4 }, true],
    [{ driver: 1, constraint: 3, float: 4 }, true],
    [{ driver: 2, constraint: 2, float: 1 }, true],
    [{ driver: 1, constraint: 1, float: 2 }, false],
  ])('an effort classified %p is at risk: %p', (counts, expected) => {
    expect(isEffortAtRisk(counts)).toBe(expected);
  });

  it('gives each aspect its shares and calls it disputed when no class has 60 %', () => {
    expect(aspectShares({ driver: 3, constraint: 1, float: 0 })).toEqual({
      n: 4,
      driver: 0.75,
      constraint: 0.25,
      float: 0,
      disputed: false,
    });
    expect(aspectShares({ driver: 2, constraint: 2, float: 1 }).disputed).toBe(true);
    expect(aspectShares({ driver: 0, constraint: 0, float: 0 })).toMatchObject({
      n: 0,
      driver: null,
    });
  });

  it('puts a dcf item with a disputed aspect on the discuss list, by its least agreed aspect', () => {
    const agreed = aspectShares({ driver: 4, constraint: 1, float: 0 });
    const split = aspectShares({ driver: 2, constraint: 2, float: 1 });
    const worse = aspectShares({ driver: 1, constraint: 1, float: 1 });
    expect(dcfDiscussionOf([agreed])).toEqual({ discuss: false, reasons: [], priority: null });
    expect(dcfDiscussionOf([agreed, split])).toEqual({
      discuss: true,
      reasons: ['disagreement'],
      priority: expect.closeTo(1 - 0.4, 12) as number,
    });
    expect(dcfDiscussionOf([split, worse, agreed]).priority).toBeCloseTo(1 - 1 / 3, 12);
    expect(dcfDiscussionOf([])).toMatchObject({ discuss: false });
  });
});
