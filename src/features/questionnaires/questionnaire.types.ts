import type { ItemStatus, Lineage, VersionKey } from './questionnaire.lineage';
import type { Item, ItemKind, QuestionnaireDefinition } from './questionnaire.schemas';

/** A stored version of a questionnaire. `workspaceId` null means built-in. */
export type StoredQuestionnaire = Readonly<{
  id: string;
  workspaceId: string | null;
  slug: string;
  version: number;
  definition: QuestionnaireDefinition;
  /** sha256 of the canonical definition: tells a changed built-in file from an unchanged one. */
  hash: string;
  /** Set once a round uses this version: from then on it never changes. */
  lockedAt: Date | null;
  createdAt: Date;
  derivedFrom: VersionKey | null;
  lineage: Lineage;
  /** When the workspace archived the questionnaire (every version carries it); null if not. */
  archivedAt: Date | null;
}>;

/** One line of the library: the latest version of a questionnaire. */
export type QuestionnaireSummary = Readonly<{
  slug: string;
  version: number;
  title: string;
  summary: string;
  language: string;
  builtin: boolean;
  archived: boolean;
  itemCount: number;
  itemCounts: Readonly<Record<ItemKind, number>>;
  dimensions: readonly Readonly<{ key: string; label: string }>[];
}>;

/** One version with what a reader needs to move between versions. */
export type QuestionnaireVersion = Readonly<{
  definition: QuestionnaireDefinition;
  builtin: boolean;
  archived: boolean;
  locked: boolean;
  versions: readonly number[];
  latestVersion: number;
  derivedFrom: VersionKey | null;
  lineage: Lineage;
}>;

/** One line of a questionnaire's version list. */
export type QuestionnaireVersionInfo = Readonly<{
  version: number;
  title: string;
  createdAt: Date;
  derivedFrom: VersionKey | null;
  lineage: Lineage;
  /** A round uses it. */
  locked: boolean;
}>;

/** Two versions of one questionnaire side by side, item by item. */
export type QuestionnaireDiff = Readonly<{
  slug: string;
  from: number;
  to: number;
  items: readonly Readonly<{
    id: string;
    status: ItemStatus;
    from: Item | null;
    to: Item | null;
  }>[];
}>;

export type ValidationResult = Readonly<{
  valid: boolean;
  errors: readonly Readonly<{ path: string; message: string }>[];
}>;

/** What a round keeps of the questionnaire version it uses. */
export type QuestionnaireRef = Readonly<{
  id: string;
  slug: string;
  version: number;
  title: string;
}>;
