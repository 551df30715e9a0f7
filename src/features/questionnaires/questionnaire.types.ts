import type { ItemKind, QuestionnaireDefinition } from './questionnaire.schemas';

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
}>;

/** One line of the library: the latest version of a questionnaire. */
export type QuestionnaireSummary = Readonly<{
  slug: string;
  version: number;
  title: string;
  summary: string;
  language: string;
  builtin: boolean;
  itemCount: number;
  itemCounts: Readonly<Record<ItemKind, number>>;
  dimensions: readonly Readonly<{ key: string; label: string }>[];
}>;

/** One version with what a reader needs to move between versions. */
export type QuestionnaireVersion = Readonly<{
  definition: QuestionnaireDefinition;
  builtin: boolean;
  locked: boolean;
  versions: readonly number[];
  latestVersion: number;
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
