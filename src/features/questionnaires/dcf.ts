/**
 * The rule of drivers, constraints and floats (from the essay): an effort with more than two
 * drivers, more than two constraints or fewer than two floats is almost sure to fail, because
 * it has no room to absorb a surprise. Respondents read it on the dcf item; reports apply it.
 */
export function isEffortAtRisk(counts: {
  driver: number;
  constraint: number;
  float: number;
}): boolean {
  return counts.driver > 2 || counts.constraint > 2 || counts.float < 2;
}
