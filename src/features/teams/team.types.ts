/** A team's expected size is at most this (a team, not a whole company). */
export const MAX_EXPECTED_SIZE = 1000;
/** Tags of a team: a few labels for grouping comparisons, not a description. */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 40;
/** Addresses a team keeps for invitations (as many as one invitation takes at once). */
export const MAX_MEMBERS = 200;

export type Team = Readonly<{
  id: string;
  workspaceId: string;
  name: string;
  /** Free labels for grouping comparisons, e.g. "tribe: payments". */
  tags: readonly string[];
  /** How many people the team has, if known: rounds then show "6 of 9 answered". */
  expectedSize: number | null;
  /** E-mail addresses of its members, to invite them to a round; empty when none are kept. */
  members: readonly string[];
  archivedAt: Date | null;
  createdAt: Date;
}>;
