import { participationOf, participationText } from '../../../src/features/rounds';

describe('participationOf', () => {
  it('gives n of the expected size and whether k is reached', () => {
    const p = participationOf({ n: 6, expected: 9, anonymity: 'anonymous', minGroupSize: 3 });
    expect(p).toEqual({
      n: 6,
      expected: 9,
      responseRate: 6 / 9,
      kReached: true,
      missingForK: 0,
    });
    expect(participationText(p)).toBe('6 of 9 answered (67%)');
  });

  it('has no rate without an expected size, and counts what k still needs', () => {
    const p = participationOf({ n: 1, expected: null, anonymity: 'anonymous', minGroupSize: 3 });
    expect(p).toMatchObject({ responseRate: null, kReached: false, missingForK: 2 });
    expect(participationText(p)).toBe('1 answered');
  });

  it('reaches k with one answer in a named round, whatever its minimum group size', () => {
    const p = participationOf({ n: 1, expected: 5, anonymity: 'named', minGroupSize: 3 });
    expect(p).toMatchObject({ kReached: true, missingForK: 0 });
  });

  it('says so honestly when more answered than expected', () => {
    const p = participationOf({ n: 11, expected: 9, anonymity: 'anonymous', minGroupSize: 3 });
    expect(p.responseRate).toBeCloseTo(11 / 9, 10);
    expect(participationText(p)).toBe('11 of 9 answered (122%)');
  });

  it('expects those invited by e-mail when there are any, rather than the team’s size', () => {
    const round = { anonymity: 'anonymous' as const, minGroupSize: 3 };
    expect(participationOf({ ...round, n: 3, expected: 9, invited: 5 })).toMatchObject({
      expected: 5,
      responseRate: 0.6,
    });
    expect(participationOf({ ...round, n: 3, expected: 9, invited: 0 }).expected).toBe(9);
  });
});
