import { qrSvg } from '../../shared/qr';
import { respondentPath } from './round.view-model';
import { randomBytes } from 'node:crypto';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { humanMessage, parseInput, toFieldIssues } from '../../shared/http/validate';
import type { QuestionnaireRef } from '../questionnaires';
import { assertRole, type Actor } from '../workspaces';
import { randomId } from '../../shared/ids';
import type { RoundRepository } from './round.repository';
import { CreateRoundInput, UpdateRoundInput } from './round.schemas';
import {
  effectiveStatus,
  type CountedRound,
  type ResponseCounter,
  type Round,
  type RoundStatus,
  type TeamSizes,
} from './round.types';

/** What rounds need of other features: narrow interfaces, passed in by app.ts. */
export type RoundServiceDeps = Readonly<{
  /** Where people reach the service (BASE_URL): respondent links start with it. */
  baseUrl: string;
  /** Whether invitations by e-mail can go out: a round by invitation needs them. */
  invitationsEnabled: boolean;
  repository: RoundRepository;
  teams: {
    get: (
      actor: Actor,
      teamId: string,
    ) => Promise<{ id: string; name: string; archivedAt: Date | null }>;
  } & TeamSizes;
  /** How many answered each round (the responses store). */
  responses: ResponseCounter;
  questionnaires: {
    useVersion: (workspaceId: string, slug: string, version?: number) => Promise<QuestionnaireRef>;
    list: (workspaceId: string | null) => Promise<readonly { slug: string }[]>;
  };
  clock: () => Date;
}>;

/**
 * Crockford's base 32: digits and lower-case letters without i, l, o and u, so that a link
 * read aloud, typed from paper or shown in a small font has no characters to confuse, and
 * none that mail programs clip from the end of a link (- and _ of base64url).
 */
const LINK_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 200 random bits in 40 characters: unguessable, and long enough that guessing is hopeless. */
export function newLinkToken(): string {
  const bytes = randomBytes(25);
  let bits = 0;
  let value = 0;
  let token = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      token += LINK_ALPHABET[(value >>> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return token;
}

const messages = {
  notFound: 'There is no such round in this workspace.',
  archivedTeam: 'This team is archived: restore it before starting a round.',
  closesInPast: 'The closing date must be in the future.',
  unknownQuestionnaire: (slug: string) => `There is no questionnaire “${slug}” in this workspace.`,
  closedNoNewDate:
    'This round is closed: its closing date cannot change (a new date would open it again). Start a new round instead.',
  notDraftDelete: (status: RoundStatus) =>
    `This round is ${status}: only a draft can be deleted, since answers may have been given. ${status === 'open' ? 'Close it instead; its answers are kept.' : 'It stays, with its answers.'}`,
  invitationsOff:
    'A round by invitation needs invitations by e-mail, which are off on this Teamlens (no SMTP_URL and MAIL_FROM). Let anyone with the link answer instead.',
  transition: (status: RoundStatus, action: string) =>
    `This round is ${status}; only a ${action === 'open' ? 'draft' : 'open'} round can be ${action === 'open' ? 'opened' : 'closed'}.`,
} as const;

/**
 * Rounds: one team × one questionnaire version × a time window. Status only moves
 * draft → open → closed; the questionnaire version a round uses is locked when the round is
 * created, so its answers always refer to the same questions.
 */
export function createRoundService(deps: RoundServiceDeps) {
  const { repository } = deps;
  const listeners: ((roundId: string) => void)[] = [];
  const changed = (round: Round) => {
    for (const listener of listeners) listener(round.id);
    return round;
  };

  async function get(actor: Actor, roundId: string): Promise<Round> {
    assertRole(actor, 'viewer');
    const round = await repository.get(actor.workspaceId, roundId);
    if (!round) throw new NotFoundError('ROUND_NOT_FOUND', messages.notFound);
    return round;
  }

  async function linkOf(round: Round): Promise<{ link: string; svg: string }> {
    const link = `${deps.baseUrl}${respondentPath(round)}`;
    return { link, svg: await qrSvg(link) };
  }

  async function move(
    actor: Actor,
    roundId: string,
    from: RoundStatus,
    to: RoundStatus,
  ): Promise<Round> {
    assertRole(actor, 'coach');
    const round = await get(actor, roundId);
    const now = deps.clock();
    if (effectiveStatus(round, now) !== from) {
      throw new ConflictError(
        to === 'open' ? 'ROUND_NOT_DRAFT' : 'ROUND_NOT_OPEN',
        messages.transition(effectiveStatus(round, now), to === 'open' ? 'open' : 'close'),
      );
    }
    const moved = await repository.transition(actor.workspaceId, roundId, from, to, now);
    if (!moved) {
      throw new ConflictError(
        to === 'open' ? 'ROUND_NOT_DRAFT' : 'ROUND_NOT_OPEN',
        messages.transition(round.status, to),
      );
    }
    return changed(moved);
  }

  /** The rules of a new round beyond its shape, each on the field it is about. */
  async function checkNewRound(
    actor: Actor,
    input: unknown,
  ): Promise<{ path: string; error: AppError }[]> {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<
      string,
      unknown
    >;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    const found: { path: string; error: AppError }[] = [];
    const closesAt = text(raw.closesAt);
    if (closesAt && new Date(closesAt) <= deps.clock()) {
      found.push({
        path: 'closesAt',
        error: new ConflictError('ROUND_CLOSES_IN_PAST', messages.closesInPast),
      });
    }
    const teamId = text(raw.teamId);
    if (teamId) {
      const team = await deps.teams.get(actor, teamId).catch((err: unknown) => {
        if (err instanceof AppError && err.status === 404) {
          found.push({ path: 'teamId', error: err });
          return null;
        }
        throw err;
      });
      if (team?.archivedAt) {
        found.push({
          path: 'teamId',
          error: new ConflictError('TEAM_ARCHIVED', messages.archivedTeam),
        });
      }
    }
    const questionnaire = raw.questionnaire as Record<string, unknown> | undefined;
    const slug = text(typeof questionnaire === 'object' ? questionnaire?.slug : undefined);
    if (slug) {
      const known = await deps.questionnaires.list(actor.workspaceId);
      if (!known.some((q) => q.slug === slug)) {
        found.push({
          path: 'questionnaire',
          error: new NotFoundError('QUESTIONNAIRE_NOT_FOUND', messages.unknownQuestionnaire(slug)),
        });
      }
    }
    if (raw.access === 'invited' && !deps.invitationsEnabled) {
      found.push({ path: 'access', error: new ConflictError('MAIL_OFF', messages.invitationsOff) });
    }
    return found;
  }

  return {
    get,
    invitationsEnabled: deps.invitationsEnabled,

    async list(
      actor: Actor,
      filter: { teamId?: string; status?: RoundStatus } = {},
    ): Promise<Round[]> {
      assertRole(actor, 'viewer');
      return repository.list(actor.workspaceId, filter);
    },

    /**
     * Creates a draft. Every problem is found in one pass (a form shows them all at once): the
     * shape, then, on the fields that have one, a closing date in the past, an unknown or
     * archived team, an unknown questionnaire. One problem alone keeps its own status and code.
     */
    async create(actor: Actor, input: unknown): Promise<Round> {
      assertRole(actor, 'coach');
      const parsed = CreateRoundInput.safeParse(input, { error: humanMessage });
      const shape = parsed.success ? [] : toFieldIssues(parsed.error.issues);
      const checked = (await checkNewRound(actor, input)).filter(
        (c) => !shape.some((issue) => issue.path === c.path || issue.path.startsWith(`${c.path}.`)),
      );
      if (!parsed.success || checked.length > 1) {
        throw new ValidationError([
          ...shape,
          ...checked.map(({ path, error }) => ({ path, message: error.message })),
        ]);
      }
      const [only] = checked;
      if (only) {
        throw new AppError(only.error.status, only.error.code, only.error.message, [
          { path: only.path, message: only.error.message },
        ]);
      }
      const data = parsed.data;
      const now = deps.clock();
      const closesAt = data.closesAt ? new Date(data.closesAt) : null;
      const team = await deps.teams.get(actor, data.teamId);
      const questionnaire = await deps.questionnaires.useVersion(
        actor.workspaceId,
        data.questionnaire.slug,
        data.questionnaire.version,
      );
      return repository.insert({
        _id: randomId(),
        workspaceId: actor.workspaceId,
        teamId: team.id,
        teamName: team.name,
        questionnaire,
        title: data.title,
        anonymity: data.anonymity,
        access: data.access,
        minGroupSize: data.minGroupSize,
        closesAt,
        linkToken: newLinkToken(),
        createdAt: now,
      });
    },

    open: (actor: Actor, roundId: string) => move(actor, roundId, 'draft', 'open'),
    close: (actor: Actor, roundId: string) => move(actor, roundId, 'open', 'closed'),

    /**
     * Corrects a round's title or closing date, by the rules of a new round (a closing date in
     * the future). A closed round keeps its date: a later one would open it again. Respondents
     * see the change at once (the listeners forget the round).
     */
    async update(actor: Actor, roundId: string, input: unknown): Promise<Round> {
      assertRole(actor, 'coach');
      const data = parseInput(UpdateRoundInput, input);
      const round = await get(actor, roundId);
      const now = deps.clock();
      const closesAt =
        data.closesAt === undefined ? undefined : data.closesAt ? new Date(data.closesAt) : null;
      if (closesAt !== undefined && effectiveStatus(round, now) === 'closed') {
        throw new ConflictError('ROUND_CLOSED', messages.closedNoNewDate);
      }
      if (closesAt && closesAt <= now) {
        throw new AppError(409, 'ROUND_CLOSES_IN_PAST', messages.closesInPast, [
          { path: 'closesAt', message: messages.closesInPast },
        ]);
      }
      const updated = await repository.update(actor.workspaceId, roundId, {
        title: data.title,
        closesAt,
      });
      // CASE: closed (or gone) between the read and the write.
      if (!updated) throw new ConflictError('ROUND_CLOSED', messages.closedNoNewDate);
      return changed(updated);
    },

    /** Deletes a draft: nobody has answered it. An open or closed round stays (close it). */
    async remove(actor: Actor, roundId: string): Promise<void> {
      assertRole(actor, 'coach');
      const round = await get(actor, roundId);
      const status = effectiveStatus(round, deps.clock());
      if (status !== 'draft' || !(await repository.removeDraft(actor.workspaceId, roundId))) {
        throw new ConflictError('ROUND_NOT_DRAFT', messages.notDraftDelete(status));
      }
      changed(round);
    },

    /**
     * A team was archived: its open rounds close now (no answers to an archived team). Returns
     * the rounds closed, so that the one archiving can be told.
     */
    async closeOpenOfTeam(
      workspaceId: string,
      teamId: string,
    ): Promise<readonly { id: string; title: string }[]> {
      const closed = await repository.closeOpenOfTeam(workspaceId, teamId, deps.clock());
      for (const round of closed) changed(round);
      return closed.map((r) => ({ id: r.id, title: r.title }));
    },

    /** A new respondent link; the old one stops working at once. */
    async rotateLink(actor: Actor, roundId: string): Promise<Round> {
      assertRole(actor, 'coach');
      await get(actor, roundId);
      const rotated = await repository.setLinkToken(actor.workspaceId, roundId, newLinkToken());
      if (!rotated) throw new NotFoundError('ROUND_NOT_FOUND', messages.notFound);
      return changed(rotated);
    },

    /** The round behind a respondent link, whatever its status; null for an unknown link. */
    async byLinkToken(linkToken: string): Promise<Round | null> {
      return repository.findByLinkToken(linkToken);
    },

    effectiveStatus: (round: Round) => effectiveStatus(round, deps.clock()),

    /**
     * Rounds with their status now, their responses so far and their team's expected size: the
     * one join every list and page of rounds shows, with one count and one team read for all.
     */
    async withCounts(actor: Actor, rounds: readonly Round[]): Promise<CountedRound[]> {
      if (rounds.length === 0) return [];
      const [counts, teams] = await Promise.all([
        deps.responses.countByRound(rounds.map((r) => r.id)),
        deps.teams.getMany(actor, [...new Set(rounds.map((r) => r.teamId))]),
      ]);
      const byId = new Map(teams.map((t) => [t.id, t]));
      const now = deps.clock();
      return rounds.map((round) => ({
        round,
        status: effectiveStatus(round, now),
        responseCount: counts.get(round.id) ?? 0,
        expectedSize: byId.get(round.teamId)?.expectedSize ?? null,
        teamName: byId.get(round.teamId)?.name ?? round.teamName ?? '',
      }));
    },

    /** The respondent link and its QR code (SVG), for coaches: who may see the link. */
    async linkQr(
      actor: Actor,
      roundId: string,
    ): Promise<{ round: Round; link: string; svg: string }> {
      assertRole(actor, 'coach');
      const round = await get(actor, roundId);
      return { round, ...(await linkOf(round)) };
    },

    /** The respondent link of a round already read (a live session shows it to the room). */
    linkOf,

    /**
     * How many the round's invitations reach (invitations feature): its participation then
     * counts against them ("3 of 5 answered") instead of the team's size.
     */
    recordInvited: (workspaceId: string, roundId: string, invited: number) =>
      repository.setInvited(workspaceId, roundId, invited),

    /** A team was renamed: its rounds show respondents the new name. */
    async teamRenamed(workspaceId: string, teamId: string, name: string): Promise<void> {
      const ids = await repository.setTeamName(workspaceId, teamId, name);
      for (const id of ids) for (const listener of listeners) listener(id);
    },

    /** Calls back after a round's status, link or team name changed here (caches forget it). */
    onChange(listener: (roundId: string) => void): void {
      listeners.push(listener);
    },
  };
}

export type RoundService = ReturnType<typeof createRoundService>;
