import { createHash, randomBytes } from 'node:crypto';
import type { RateLimitStore } from '../../shared/db/rate-limit-store';
import type { MemoryRateLimiter } from '../../shared/memory-rate-limit';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import type { QuestionnaireDefinition } from '../questionnaires';
import type { Round, RoundStatus } from '../rounds';
import { checkAnswers, toAnswerInputs, toStoredAnswers } from './answers';
import type { ResponseStore } from './response.store';
import { ResponseInput, type AnswerInput } from './response.schemas';
import { createOpenRoundCache } from './open-round-cache';
import { createKeyedLock } from '../../shared/keyed-lock';

/** Unknown links one client address may try in 15 minutes before it gets 429 instead of 404. */
const MISSES_PER_IP = 30;
/**
 * Submissions per client address and round in 15 minutes, per app instance: far above what a
 * team behind one network address sends (everyone answering and revising twice), far below a
 * flood.
 */
const SUBMISSIONS_PER_IP_AND_ROUND = 300;
const WINDOW_MS = 15 * 60_000;

const messages = {
  noRound: 'There is no open round at this link. Check the link, or ask your coach for a new one.',
  notOpen: 'This round has not been opened yet. Try the link again once your coach has opened it.',
  closed: 'This round is closed: answers can no longer be given or changed.',
  noResponse: 'There is no answer for this edit key in this round.',
  slowDown: 'Too many requests from your network. Wait a few minutes and try again.',
  invitationRequired:
    'This round is by invitation: only the personal link from an invitation e-mail starts an answer. If you have not been invited, ask your coach.',
  invitationUsed:
    'This invitation has already been used to answer, and each answers once. To change that answer, open the link in the browser it was given in.',
} as const;

export type RoundReader = Readonly<{
  byLinkToken: (token: string) => Promise<Round | null>;
  effectiveStatus: (round: Round) => RoundStatus;
  /** Calls back after a round changed in this process (status, link), to forget cached copies. */
  onChange: (listener: (roundId: string) => void) => void;
}>;

/** How long a respondent link's round and team name are reused (see open-round-cache.ts). */
export const OPEN_ROUND_TTL_MS = 5_000;

/**
 * What answering needs of invitations: to check a personal link's token, to know whether it was
 * used, and to record its use (rounds by link) or claim it once (rounds by invitation).
 */
export type Invitations = Readonly<{
  /** The invitation id of a token; a ValidationError when the token is not a valid one. */
  verify: (token: unknown) => string;
  answered: (round: Round, invitationId: string) => Promise<void>;
  isUsed: (roundId: string, invitationId: string) => Promise<boolean>;
  /** True for exactly one claim of an unused invitation. */
  claim: (roundId: string, invitationId: string) => Promise<boolean>;
  release: (roundId: string, invitationId: string) => Promise<void>;
}>;

export type ResponseServiceDeps = Readonly<{
  invitations: Invitations;
  store: Pick<ResponseStore, 'save' | 'replace' | 'findByKey'>;
  /** Per-process flood guard for submissions (no round trip; see memory-rate-limit.ts). */
  submissionLimits: MemoryRateLimiter;
  rounds: RoundReader;
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
  teamName: (workspaceId: string, teamId: string) => Promise<string>;
  rateLimits: RateLimitStore;
  clock: () => Date;
}>;

export type OpenRound = Readonly<{
  round: Round;
  definition: QuestionnaireDefinition;
  teamName: string;
}>;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new respondent key: 256 random bits, held only by the respondent. */
export function newRespondentKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Answering a round through its link. The link is the only credential; the respondent's key
 * (kept in a cookie by pages, returned once by the API) is the only way back to an answer, and
 * the database holds only its hash. Anonymous responses hold no name, no link token, no time of
 * day and no ObjectId (DESIGN.md, "Anonymity, in the data itself").
 */
export function createResponseService(deps: ResponseServiceDeps) {
  const { store } = deps;
  const invitationTurns = createKeyedLock();
  const cache = createOpenRoundCache<OpenRound>({ ttlMs: OPEN_ROUND_TTL_MS, clock: deps.clock });
  deps.rounds.onChange((roundId) => cache.forgetRound(roundId));

  /** The round behind a link with its questionnaire and team name, from the cache if fresh. */
  async function lookUp(token: string): Promise<OpenRound | null> {
    const cached = cache.get(token);
    if (cached) return cached;
    const readAt = cache.generation();
    const round = await deps.rounds.byLinkToken(token);
    if (!round) return null;
    // The team's name is kept on the round; only older rounds look the team up.
    const [definition, teamName] = await Promise.all([
      deps.questionnaires.byId(round.questionnaire.id),
      round.teamName ?? deps.teamName(round.workspaceId, round.teamId),
    ]);
    const open = { round, definition, teamName };
    // Only rounds that take answers: a draft or closed round is looked up again next time.
    if (deps.rounds.effectiveStatus(round) === 'open') cache.set(token, open, readAt);
    return open;
  }

  const limit = (key: string, max: number) =>
    deps.rateLimits.enforce(key, max, WINDOW_MS, messages.slowDown);
  /** Submissions per address and round: counted in this process, on the hot path. */
  const limitSubmissions = (ip: string, roundId: string) =>
    deps.submissionLimits.enforce(
      `${ip}:${roundId}`,
      SUBMISSIONS_PER_IP_AND_ROUND,
      WINDOW_MS,
      messages.slowDown,
    );

  /**
   * The open round behind a link. An unknown link answers 404 (a guesser learns nothing), a
   * draft 404 `ROUND_NOT_STARTED`, a closed round 410. Unknown links are counted per address:
   * past the limit the answer is 429, while a valid link keeps working for everyone behind
   * that address.
   */
  async function openRound(token: string, ip: string): Promise<OpenRound> {
    const open = await lookUp(token);
    if (!open) {
      await limit(`respond:miss:${ip}`, MISSES_PER_IP);
      throw new NotFoundError('ROUND_LINK_NOT_FOUND', messages.noRound);
    }
    // A draft's link is as unguessable as any: whoever holds it may learn that it is not open.
    if (deps.rounds.effectiveStatus(open.round) === 'draft')
      throw new NotFoundError('ROUND_NOT_STARTED', messages.notOpen);
    // Checked at every use: a closing date passes whether the round is cached or not.
    if (deps.rounds.effectiveStatus(open.round) === 'closed')
      throw new AppError(410, 'ROUND_CLOSED', messages.closed);
    return open;
  }

  function validate(open: OpenRound, input: unknown) {
    const data = parseInput(ResponseInput, input);
    const issues = checkAnswers(open.definition, data, open.round.anonymity);
    if (issues.length > 0)
      throw new ValidationError(issues, 'Some answers are missing or not valid.');
    return {
      answers: toStoredAnswers(open.definition, data),
      day: deps.clock().toISOString().slice(0, 10),
      ...(open.round.anonymity === 'named' && data.name ? { respondentName: data.name } : {}),
      ...(open.round.anonymity === 'named' && data.role ? { respondentRole: data.role } : {}),
    };
  }

  /**
   * Who may start a new response (DESIGN.md, Access). In a round by invitation only an unused
   * personal link (403 `INVITATION_REQUIRED` without one, 409 `INVITATION_USED` once used); in
   * a round by link anyone, and `alreadyUsed` says that a personal link answered before.
   * Whoever has an answer already may always change it: ask only for a new one.
   */
  async function admission(
    open: OpenRound,
    invitation: string | undefined,
  ): Promise<{ alreadyUsed: boolean }> {
    const invitationId = invitation === undefined ? null : deps.invitations.verify(invitation);
    const used =
      invitationId !== null && (await deps.invitations.isUsed(open.round.id, invitationId));
    if (open.round.access === 'invited') {
      if (invitationId === null)
        throw new ForbiddenError('INVITATION_REQUIRED', messages.invitationRequired);
      if (used) throw new ConflictError('INVITATION_USED', messages.invitationUsed);
    }
    return { alreadyUsed: used };
  }

  return {
    openRound,
    admission,

    /** A personal link's invitation token if it is a valid one, else undefined (a page drops it). */
    validInvitation(token: unknown): string | undefined {
      try {
        deps.invitations.verify(token);
        return token as string;
      } catch {
        return undefined;
      }
    },

    /**
     * Stores the answer of `key` (a new key when none is given) to a round the caller opened
     * with openRound (once per request): one response per key, so a double click or a resent
     * form stores exactly one.
     */
    async submit(
      open: OpenRound,
      input: unknown,
      options: { key?: string; ip: string; invitation?: string },
    ): Promise<{ key: string; outcome: 'created' | 'updated'; day: string }> {
      const content = validate(open, input);
      const invitationId =
        options.invitation === undefined ? null : deps.invitations.verify(options.invitation);
      limitSubmissions(options.ip, open.round.id);
      const key = options.key ?? newRespondentKey();
      const roundId = open.round.id;
      const save = () =>
        store.save({
          workspaceId: open.round.workspaceId,
          roundId,
          editKeyHash: hashKey(key),
          ...content,
        });
      if (open.round.access === 'link') {
        const outcome = await save();
        // After the answer is stored, and only that it was used: no link to the response.
        if (invitationId !== null) await deps.invitations.answered(open.round, invitationId);
        return { key, outcome, day: content.day };
      }
      // CASE: a round by invitation. A key that has an answer changes it; a new answer claims
      // an unused invitation first, which exactly one of two browsers at once gets. Answers
      // through one invitation take turns in this process, so that the second send of a
      // double click finds the first one's answer (and changes it) instead of a used claim.
      return invitationTurns.run(invitationId ?? `key:${key}`, async () => {
        const answeredBefore =
          options.key !== undefined && (await store.findByKey(roundId, hashKey(key))) !== null;
        if (answeredBefore) return { key, outcome: await save(), day: content.day };
        if (invitationId === null)
          throw new ForbiddenError('INVITATION_REQUIRED', messages.invitationRequired);
        if (!(await deps.invitations.claim(roundId, invitationId)))
          throw new ConflictError('INVITATION_USED', messages.invitationUsed);
        try {
          return { key, outcome: await save(), day: content.day };
        } catch (err) {
          await deps.invitations.release(roundId, invitationId);
          throw err;
        }
      });
    },

    /** Replaces the answer of `key`; 404 when the key has no answer in this round. */
    async revise(
      open: OpenRound,
      input: unknown,
      options: { key: string; ip: string },
    ): Promise<{ day: string }> {
      const content = validate(open, input);
      limitSubmissions(options.ip, open.round.id);
      const roundId = open.round.id;
      const replaced = await store.replace(roundId, hashKey(options.key), content);
      if (!replaced) {
        throw new NotFoundError('RESPONSE_NOT_FOUND', messages.noResponse);
      }
      return { day: content.day };
    },

    /** The respondent's own answer, to show it again; null when the key has none here. */
    async answerOf(
      open: OpenRound,
      key: string,
    ): Promise<{ answers: AnswerInput[]; day: string; name?: string; role?: string } | null> {
      const stored = await store.findByKey(open.round.id, hashKey(key));
      if (!stored) return null;
      return {
        answers: toAnswerInputs(open.definition, stored.answers),
        day: stored.day,
        ...(stored.respondentName ? { name: stored.respondentName } : {}),
        ...(stored.respondentRole ? { role: stored.respondentRole } : {}),
      };
    },
  };
}

export type ResponseService = ReturnType<typeof createResponseService>;
