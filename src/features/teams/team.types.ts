export type Team = Readonly<{
  id: string;
  workspaceId: string;
  name: string;
  /** Free labels for grouping comparisons, e.g. "tribe: payments". */
  tags: readonly string[];
  archivedAt: Date | null;
  createdAt: Date;
}>;
