import type { AnswerDoc } from './response.model';

/** A stored response as the product reads it: no key hash, no round, no workspace. */
export type StoredResponse = Readonly<{
  id: string;
  answers: readonly AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
}>;

/** A free-text answer; the name only in named rounds. */
export type ResponseText = Readonly<{ itemId: string; text: string; name?: string }>;

/** What a respondent answers: the content of one response. */
export type ResponseContent = Readonly<{
  answers: readonly AnswerDoc[];
  day: string;
  respondentName?: string;
  respondentRole?: string;
}>;

/** Answers per (item, value, desired, dcf verdict): histograms and at-risk counts come from these. */
export type AnswerCount = Readonly<{
  itemId: string;
  value: number | null;
  desired: number | null;
  atRisk: boolean | null;
  n: number;
}>;
/** dcf votes per (item, aspect, class). */
export type VoteCount = Readonly<{
  itemId: string;
  aspect: string;
  class: 'driver' | 'constraint' | 'float';
  n: number;
}>;
/** Everything a report counts in a round. */
export type RoundCounts = Readonly<{
  n: number;
  answers: readonly AnswerCount[];
  votes: readonly VoteCount[];
}>;
