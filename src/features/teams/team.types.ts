/** A team's expected size is at most this (a team, not a whole company). */
export const MAX_EXPECTED_SIZE = 1000;

export type Team = Readonly<{
  id: string;
  workspaceId: string;
  name: string;
  /** Free labels for grouping comparisons, e.g. "tribe: payments". */
  tags: readonly string[];
  /** How many people the team has, if known: rounds then show "6 of 9 answered". */
  expectedSize: number | null;
  archivedAt: Date | null;
  createdAt: Date;
}>;
