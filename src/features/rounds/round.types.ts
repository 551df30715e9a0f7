import type { QuestionnaireRef } from '../questionnaires';
import type { Actor } from '../workspaces';

export const ROUND_STATUSES = ['draft', 'open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
export const ANONYMITY_MODES = ['anonymous', 'named'] as const;
export type Anonymity = (typeof ANONYMITY_MODES)[number];
/**
 * Who may start a response (DESIGN.md, Access): anyone holding the round's link, or only an
 * unused personal invitation link, each once.
 */
export const ROUND_ACCESS = ['link', 'invited'] as const;
export type RoundAccess = (typeof ROUND_ACCESS)[number];

export type Round = Readonly<{
  id: string;
  workspaceId: string;
  teamId: string;
  /** The team's name as respondents see it; null on rounds from before it was kept. */
  teamName: string | null;
  /** How many were invited by e-mail; 0 without invitations. */
  invited: number;
  questionnaire: QuestionnaireRef;
  title: string;
  anonymity: Anonymity;
  access: RoundAccess;
  /** No figure of a group smaller than this is shown (anonymous rounds). */
  minGroupSize: number;
  status: RoundStatus;
  closesAt: Date | null;
  /** The respondents' link is /r/<linkToken>; rotating it replaces the token. */
  linkToken: string;
  createdAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
}>;

/**
 * The status as respondents and reports see it: an open round whose closing date has passed
 * is closed, even before anyone closes it (checked in code; nothing runs on a timer).
 */
export function effectiveStatus(round: Pick<Round, 'status' | 'closesAt'>, now: Date): RoundStatus {
  if (round.status === 'open' && round.closesAt && round.closesAt <= now) return 'closed';
  return round.status;
}

/** What rounds need of responses (passed in by app.ts): how many answered. */
export type ResponseCounter = {
  countByRound: (roundIds: readonly string[]) => Promise<Map<string, number>>;
};

/** The expected sizes of teams (passed in by app.ts from teams), for response rates. */
/** A round with what every list and page of rounds shows beside it. */
export type CountedRound = Readonly<{
  round: Round;
  /** Its status now (an open round past its closing date is closed). */
  status: RoundStatus;
  /** Responses so far. */
  responseCount: number;
  /** How many people its team expects to answer, if it says. */
  expectedSize: number | null;
  /** Its team's name now. */
  teamName: string;
}>;

export type TeamSizes = {
  getMany: (
    actor: Actor,
    teamIds: readonly string[],
  ) => Promise<readonly { id: string; name: string; expectedSize: number | null }[]>;
};
