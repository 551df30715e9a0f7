import {
  cellsOf,
  tallyDelta,
  toCells,
  toRoundCounts,
  type Counted,
} from '../../../src/features/responses/tally';

const tension = (itemId: string, value: number, desired?: number) => ({
  itemId,
  value,
  ...(desired === undefined ? {} : { desired }),
});

describe('cellsOf', () => {
  it('gives one cell per answer and per dcf vote, keyed by what reports count', () => {
    const cells = cellsOf({
      answers: [
        tension('busy-vs-flow', 3, 6),
        tension('plan-vs-adapt', 5),
        { itemId: 'effort-in-one-sentence', text: 'Not counted, only shown' },
        { itemId: 'effort', atRisk: true },
      ],
      votes: [
        { itemId: 'effort', aspect: 'scope', class: 'driver' },
        { itemId: 'effort', aspect: 'date', class: 'float' },
      ],
    });

    expect(cells).toEqual({
      'a|busy-vs-flow|3|6|': 1,
      'a|plan-vs-adapt|5||': 1,
      'a|effort-in-one-sentence|||': 1,
      'a|effort|||true': 1,
      'v|effort|scope|driver': 1,
      'v|effort|date|float': 1,
    });
  });

  it.each([
    ['a dot', 'item.one'],
    ['a dollar', '$item'],
    ['the separator', 'a|b'],
    ['a percent sign', '100%'],
  ])('keeps %s out of field names and reads it back', (_, itemId) => {
    const cells = cellsOf({ answers: [tension(itemId, 2)] });
    const [key] = Object.keys(cells);

    expect(key).not.toMatch(/[.$]/);
    expect(key!.split('|')).toHaveLength(5);
    expect(toRoundCounts(1, cells).answers).toEqual([
      { itemId, value: 2, desired: null, atRisk: null, n: 1 },
    ]);
  });
});

describe('tallyDelta', () => {
  const before: Counted = { answers: [tension('x', 3, 6), tension('y', 4)] };

  it('adds a new response and all its cells', () => {
    expect(tallyDelta(null, before)).toEqual({
      n: 1,
      cells: { 'a|x|3|6|': 1, 'a|y|4||': 1 },
    });
  });

  it('moves only what a revision changed, and no response', () => {
    const after = { answers: [tension('x', 5, 6), tension('y', 4)] };

    expect(tallyDelta(before, after)).toEqual({ n: 0, cells: { 'a|x|5|6|': 1, 'a|x|3|6|': -1 } });
  });

  it('changes nothing when the same answer is sent again', () => {
    expect(tallyDelta(before, before)).toEqual({ n: 0, cells: {} });
  });

  it('takes out an answer that a revision left blank', () => {
    expect(tallyDelta(before, { answers: [tension('x', 3, 6)] })).toEqual({
      n: 0,
      cells: { 'a|y|4||': -1 },
    });
  });
});

describe('toRoundCounts and toCells', () => {
  it('leaves out cells counted down to 0', () => {
    expect(toRoundCounts(2, { 'a|x|3||': 0, 'a|x|4||': 2 }).answers).toEqual([
      { itemId: 'x', value: 4, desired: null, atRisk: null, n: 2 },
    ]);
  });

  it('reads verdicts and votes back', () => {
    expect(toRoundCounts(1, { 'a|e|||false': 1, 'v|e|scope|constraint': 1 })).toEqual({
      n: 1,
      answers: [{ itemId: 'e', value: null, desired: null, atRisk: false, n: 1 }],
      votes: [{ itemId: 'e', aspect: 'scope', class: 'constraint', n: 1 }],
    });
  });

  it('refuses a cell it does not know rather than miscount it', () => {
    expect(() => toRoundCounts(1, { 'v|e|scope|unknown': 1 })).toThrow('not a tally cell');
    expect(() => toRoundCounts(1, { 'z|e': 1 })).toThrow('not a tally cell');
  });

  it('sums of responses, as cells, read back as the counts a database group-by gives', () => {
    // Many responses, each with a varied answer; the tally is the sum of their deltas.
    const responses: Counted[] = Array.from({ length: 50 }, (_, i) => ({
      answers: [
        tension('x', 1 + (i % 7), i % 2 ? 1 + (i % 5) : undefined),
        tension('y', 1 + (i % 3)),
      ],
      votes: [{ itemId: 'e', aspect: 'scope', class: (['driver', 'float'] as const)[i % 2]! }],
    }));
    const sum: Record<string, number> = {};
    for (const r of responses) {
      for (const [k, n] of Object.entries(tallyDelta(null, r).cells)) sum[k] = (sum[k] ?? 0) + n;
    }
    const counts = toRoundCounts(responses.length, sum);

    // What a $group by (item, value, desired) counts, done here by hand.
    const grouped = new Map<string, number>();
    for (const r of responses) {
      for (const a of r.answers) {
        const k = `${a.itemId}/${a.value}/${a.desired ?? null}`;
        grouped.set(k, (grouped.get(k) ?? 0) + 1);
      }
    }
    expect(
      new Map(counts.answers.map((a) => [`${a.itemId}/${a.value}/${a.desired}`, a.n])),
    ).toEqual(grouped);
    expect(counts.votes.map((v) => [v.class, v.n]).sort()).toEqual([
      ['driver', 25],
      ['float', 25],
    ]);
    expect(toCells(counts)).toEqual(sum);
  });
});
