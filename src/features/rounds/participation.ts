/**
 * Participation (DESIGN.md): how many of the people a team expects have answered a round, and
 * whether the anonymity threshold k is reached. Pure, shared by the round's page and API, the
 * dashboard and the report, so they all say the same "6 of 9 answered".
 */
export type Participation = Readonly<{
  n: number;
  /** Those invited by e-mail, else the team's expected size; null when neither is known. */
  expected: number | null;
  /** n / expected (above 1 when more answered than expected); null without an expected size. */
  responseRate: number | null;
  /** Anonymous rounds: whether enough answered for figures to be shown (named rounds: true). */
  kReached: boolean;
  /** Anonymous rounds below k: how many more answers the first figure needs. */
  missingForK: number;
}>;

export function participationOf(input: {
  n: number;
  expected: number | null;
  /** Invited by e-mail: when some are, the round expects them rather than the team's size. */
  invited?: number;
  anonymity: 'anonymous' | 'named';
  minGroupSize: number;
}): Participation {
  const k = input.anonymity === 'anonymous' ? input.minGroupSize : 1;
  const stated = input.invited ? input.invited : input.expected;
  const expected = stated !== null && stated > 0 ? stated : null;
  return {
    n: input.n,
    expected,
    responseRate: expected === null ? null : input.n / expected,
    kReached: input.n >= k,
    missingForK: Math.max(0, k - input.n),
  };
}

/** "6 of 9 answered (67%)", or "6 answered" when the team's size is unknown. */
export function participationText(p: Participation): string {
  if (p.expected === null) return `${p.n} answered`;
  return `${p.n} of ${p.expected} answered (${Math.round((p.responseRate ?? 0) * 100)}%)`;
}
