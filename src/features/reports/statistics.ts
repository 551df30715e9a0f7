/**
 * The report mathematics of DESIGN.md, as pure functions of histograms: the database counts,
 * this module computes. A histogram `h` holds the counts of the answers 1..K (h[0] counts 1).
 * An empty group gives null statistics, never NaN (not every supported server can store NaN either).
 */

export type Histogram = readonly number[];

export type ScaleStats = Readonly<{
  n: number;
  histogram: readonly number[];
  mean: number | null;
  median: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  consensus: number | null;
}>;

/** Items whose consensus is below this are put on the "discuss" list. */
export const DISCUSS_THRESHOLD = 0.6;
/** A tension whose desired mean is this far from its current mean (or farther) is discussed. */
export const DISCUSS_GAP = 1;

export function total(h: Histogram): number {
  return h.reduce((sum, count) => sum + count, 0);
}

export function mean(h: Histogram): number | null {
  const n = total(h);
  if (n === 0) return null;
  return h.reduce((sum, count, i) => sum + count * (i + 1), 0) / n;
}

/** The value at 1-based position `k` of the sorted answers. */
function valueAt(h: Histogram, k: number): number {
  let seen = 0;
  for (let i = 0; i < h.length; i += 1) {
    seen += h[i] ?? 0;
    if (seen >= k) return i + 1;
  }
  throw new RangeError(`position ${k} is beyond the ${seen} answers`);
}

/** Median of discrete data: the middle answer, or the mean of the two middle answers for even n. */
export function median(h: Histogram): number | null {
  const n = total(h);
  if (n === 0) return null;
  return n % 2 === 1 ? valueAt(h, (n + 1) / 2) : (valueAt(h, n / 2) + valueAt(h, n / 2 + 1)) / 2;
}

/** Population standard deviation (divides by n: the group is the whole team, not a sample). */
export function sd(h: Histogram): number | null {
  const m = mean(h);
  if (m === null) return null;
  const n = total(h);
  return Math.sqrt(h.reduce((sum, count, i) => sum + count * (i + 1 - m) ** 2, 0) / n);
}

/**
 * Consensus after Tastle & Wierman (2007): Cns = 1 + Σ pᵢ · log₂(1 − |i − μ| / (K − 1)).
 * 1 when everyone gives the same answer, 0 when the group is split evenly between the two
 * extremes. Requires K ≥ 2. Terms with pᵢ = 0 contribute nothing (and log₂ 0 is never taken:
 * with any answer present, |i − μ| < K − 1 for every answered i).
 */
export function consensus(h: Histogram): number | null {
  const n = total(h);
  const m = mean(h);
  if (n === 0 || m === null) return null;
  const width = h.length - 1;
  if (width < 1) throw new RangeError('consensus needs a scale of at least 2 points');
  let sum = 0;
  h.forEach((count, i) => {
    if (count === 0) return;
    sum += (count / n) * Math.log2(1 - Math.abs(i + 1 - m) / width);
  });
  // 1 + Σ can come out as -1e-16 for an exact split: clamp to the defined range.
  return Math.min(1, Math.max(0, 1 + sum));
}

export function describeScale(h: Histogram): ScaleStats {
  const n = total(h);
  const first = h.findIndex((c) => c > 0);
  const last = h.length - 1 - [...h].reverse().findIndex((c) => c > 0);
  return {
    n,
    histogram: [...h],
    mean: mean(h),
    median: median(h),
    sd: sd(h),
    min: n === 0 ? null : first + 1,
    max: n === 0 ? null : last + 1,
    consensus: consensus(h),
  };
}

export type Lean = 'left' | 'balanced' | 'right' | 'split';

/**
 * Where a tension leans (DESIGN.md): `split` when at least a third of the answers lie on each
 * side of the middle (≤ 3 and ≥ 5 on the 7-point scale), whatever the mean, so that a team
 * pulling both ways is never called balanced; otherwise left when the mean is below 3.5, right
 * above 4.5, balanced between. The mean thresholds are those of the 7-point scale: the middle
 * ± 0.5.
 */
export function leanOf(h: Histogram): Lean | null {
  const n = total(h);
  const m = mean(h);
  if (n === 0 || m === null) return null;
  const middle = (h.length + 1) / 2;
  const side = (inSide: (value: number) => boolean) =>
    h.reduce((sum, count, i) => (inSide(i + 1) ? sum + count : sum), 0);
  // 3 · count ≥ n rather than count ≥ n / 3: whole numbers, no rounding at the boundary.
  if (3 * side((v) => v < middle) >= n && 3 * side((v) => v > middle) >= n) return 'split';
  if (m < middle - 0.5) return 'left';
  if (m > middle + 0.5) return 'right';
  return 'balanced';
}

export type DiscussReason = 'disagreement' | 'gap';

export type Discussion = Readonly<{
  discuss: boolean;
  reasons: readonly DiscussReason[];
  /** (1 − consensus) + |gap| / (K − 1): how much a workshop should talk about it; null off the list. */
  priority: number | null;
}>;

/**
 * Whether an item belongs on the discuss list, why, and how high (DESIGN.md): consensus below
 * 0.6 is a disagreement; for a tension with desired answers shown, a gap of 1 or more is a
 * wish to move. Priority adds both, the gap scaled to the scale's width so that 0..1 compares
 * with 1 − consensus. An item without figures is not on the list.
 */
export function discussionOf(input: {
  consensus: number | null;
  gap: number | null;
  points: number;
}): Discussion {
  if (input.consensus === null) return { discuss: false, reasons: [], priority: null };
  const gap = input.gap ?? 0;
  const reasons: DiscussReason[] = [];
  if (input.consensus < DISCUSS_THRESHOLD) reasons.push('disagreement');
  if (Math.abs(gap) >= DISCUSS_GAP) reasons.push('gap');
  return {
    discuss: reasons.length > 0,
    reasons,
    priority: reasons.length > 0 ? 1 - input.consensus + Math.abs(gap) / (input.points - 1) : null,
  };
}

/** Mean on 0–100: (mean − 1) / (K − 1) · 100. */
export function score100(m: number | null, points: number): number | null {
  return m === null ? null : ((m - 1) / (points - 1)) * 100;
}

/**
 * A dimension's maturity score: the mean of its items' means, and on 0–100 the mean of the
 * items' 0–100 scores (the same number when all items have the same number of levels).
 */
export function dimensionScore(items: readonly { mean: number | null; points: number }[]): {
  score: number | null;
  score100: number | null;
} {
  const answered = items.filter((i): i is { mean: number; points: number } => i.mean !== null);
  if (answered.length === 0) return { score: null, score100: null };
  const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    score: avg(answered.map((i) => i.mean)),
    score100: avg(answered.map((i) => score100(i.mean, i.points) ?? 0)),
  };
}

/** Below this share for its most chosen class, an aspect counts as disputed. */
export const DISPUTED_BELOW = 0.6;

/**
 * Whether a dcf item belongs on the discuss list (DESIGN.md: its verdict names "aspects on
 * which respondents disagree", and disagreement is a first-class finding): it does when any
 * aspect is disputed, for `disagreement`. A dcf item has no consensus; its agreement is the
 * share of the most chosen class on its least agreed aspect, so that the priority,
 * 1 − agreement, lies on the same 0..1 footing as 1 − consensus (disputed: agreement < 0.6,
 * as consensus < 0.6 for the other kinds).
 */
export function dcfDiscussionOf(
  aspects: readonly Readonly<{
    driver: number | null;
    constraint: number | null;
    float: number | null;
    disputed: boolean;
  }>[],
): Discussion {
  const agreements = aspects
    .filter((a) => a.disputed)
    .map((a) => Math.max(a.driver ?? 0, a.constraint ?? 0, a.float ?? 0));
  if (agreements.length === 0) return { discuss: false, reasons: [], priority: null };
  return { discuss: true, reasons: ['disagreement'], priority: 1 - Math.min(...agreements) };
}

export function aspectShares(votes: { driver: number; constraint: number; float: number }) {
  const n = votes.driver + votes.constraint + votes.float;
  if (n === 0) return { n, driver: null, constraint: null, float: null, disputed: false };
  const shares = {
    driver: votes.driver / n,
    constraint: votes.constraint / n,
    float: votes.float / n,
  };
  return {
    n,
    ...shares,
    disputed: Math.max(shares.driver, shares.constraint, shares.float) < DISPUTED_BELOW,
  };
}
