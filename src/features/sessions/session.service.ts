import { isDuplicateKeyError } from '../../shared/db/duplicate-key';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import { randomId } from '../../shared/ids';
import type { SignedLinks } from '../../shared/signed-links';
import type { SummarizedReport } from '../reports';
import { participationOf, type Participation, type Round, type RoundService } from '../rounds';
import { assertRole, type Actor } from '../workspaces';
import type { SessionRepository } from './session.repository';
import { RoomActionInput, StepInput } from './session.schemas';
import { effectiveState, type Session, type SessionState } from './session.types';

const messages = {
  notFound: 'This round has no live session. Start one from the round’s page.',
  presenterNotFound: 'This presenter link is not valid: the session was replaced, or never was.',
  notOpen: 'A live session starts on an open round: open it first.',
  notCollecting: 'The results were revealed already, or the session ended.',
  notRevealed: 'Reveal the results first; an ended session shows only its actions.',
  noItem: 'Move to an item first: actions are agreed on an item.',
  belowK: (missing: number, k: number) =>
    `This anonymous round shows figures from ${k} answers: ${missing === 1 ? '1 more answer is' : `${missing} more answers are`} needed before the reveal.`,
  stepOutOfRange: (last: number) => `Choose a step from 0 (the summary) to ${last}.`,
};

export type SessionServiceDeps = Readonly<{
  repository: SessionRepository;
  rounds: Pick<RoundService, 'get' | 'close' | 'effectiveStatus' | 'linkOf'>;
  teams: {
    get: (actor: Actor, teamId: string) => Promise<{ name: string; expectedSize: number | null }>;
  };
  /** How many answered each round (the responses store's live count). */
  sizes: (roundIds: readonly string[]) => Promise<Map<string, number>>;
  /** The report as the room may see it: no names (reports feature). */
  roomReport: (actor: Actor, roundId: string) => Promise<SummarizedReport>;
  actions: {
    create: (actor: Actor, teamId: string, input: unknown) => Promise<{ id: string }>;
  };
  /** Signs the presenter links: `<session id>.<signature>`. */
  presenterLinks: SignedLinks;
  baseUrl: string;
  clock: () => Date;
  /** Tells the live streams of this process at once (others learn it by polling). */
  changed: (session: Session) => void;
}>;

/** What a session's clients are told: the state, the step and the count, nothing else. */
export type SessionStatus = Readonly<{
  session: Session;
  state: SessionState;
  round: Round;
  participation: Participation;
}>;

/** What the room sees at a step after the reveal: the report, and which item (or the summary). */
export type Stage = Readonly<{
  report: SummarizedReport;
  /** Item ids in discuss-first order: the discuss list, then the others in questionnaire order. */
  order: readonly string[];
  /** The item shown, or null for the summary. */
  itemId: string | null;
}>;

/**
 * Live sessions (DESIGN.md, Live session). Anonymity is kept here, not in the pages: before the
 * reveal nothing but the count and whether k is reached is returned by any function of this
 * service; after it, the room's report (no names, figures under the k rule).
 */
export function createSessionService(deps: SessionServiceDeps) {
  const { repository } = deps;

  /** The read-only actor of a presenter link: it may read its own session's round, no more. */
  const presenterActor = (session: Session): Actor => ({
    userId: `presenter:${session.id}`,
    workspaceId: session.workspaceId,
    role: 'viewer',
    via: 'token',
  });

  async function sessionOf(actor: Actor, roundId: string): Promise<Session> {
    const session = await repository.ofRound(actor.workspaceId, roundId);
    if (!session) throw new NotFoundError('SESSION_NOT_FOUND', messages.notFound);
    return session;
  }

  async function statusOf(actor: Actor, session: Session): Promise<SessionStatus> {
    const round = await deps.rounds.get(actor, session.roundId);
    const [counts, team] = await Promise.all([
      deps.sizes([round.id]),
      deps.teams.get(actor, round.teamId),
    ]);
    return {
      session,
      state: effectiveState(session, deps.clock()),
      round,
      participation: participationOf({
        n: counts.get(round.id) ?? 0,
        expected: team.expectedSize,
        invited: round.invited,
        anonymity: round.anonymity,
        minGroupSize: round.minGroupSize,
      }),
    };
  }

  const announce = (session: Session) => {
    deps.changed(session);
    return session;
  };

  /** Moves a session; refused with `code` when it is not in one of `from` (or has expired). */
  async function move(
    session: Session,
    from: readonly SessionState[],
    code: 'SESSION_NOT_COLLECTING' | 'SESSION_NOT_REVEALED',
    change: Parameters<SessionRepository['change']>[2],
  ): Promise<Session> {
    const refuse = () =>
      new ConflictError(
        code,
        code === 'SESSION_NOT_COLLECTING' ? messages.notCollecting : messages.notRevealed,
      );
    if (!from.includes(effectiveState(session, deps.clock()))) throw refuse();
    const moved = await repository.change(session, from, change);
    if (!moved) throw refuse();
    return announce(moved);
  }

  /** The item ids of a report in discuss-first order. */
  const orderOf = (report: SummarizedReport) => {
    const first = report.discuss.map((d) => d.itemId);
    return [...first, ...report.items.map((i) => i.itemId).filter((id) => !first.includes(id))];
  };

  /**
   * What the room sees: nothing but the count before the reveal (null); after it, the room's
   * report and the item at the session's step (the summary once it ended).
   */
  async function stageOf(actor: Actor, status: SessionStatus): Promise<Stage | null> {
    if (status.state === 'collecting' || status.session.revealedAt === null) return null;
    const report = await deps.roomReport(actor, status.round.id);
    const order = orderOf(report);
    const step = status.state === 'revealed' ? (status.session.step ?? 0) : 0;
    return { report, order, itemId: step > 0 ? (order[step - 1] ?? null) : null };
  }

  return {
    presenterActor,

    /** Starts a session on an open round; one already running is answered again. */
    async start(actor: Actor, roundId: string): Promise<SessionStatus> {
      assertRole(actor, 'coach');
      const round = await deps.rounds.get(actor, roundId);
      const running = await repository.ofRound(actor.workspaceId, roundId);
      if (running && effectiveState(running, deps.clock()) !== 'ended')
        return statusOf(actor, running);
      if (deps.rounds.effectiveStatus(round) !== 'open')
        throw new ConflictError('ROUND_NOT_OPEN', messages.notOpen);
      try {
        const session = await repository.start({
          id: randomId(),
          workspaceId: actor.workspaceId,
          roundId,
          now: deps.clock(),
        });
        return statusOf(actor, announce(session));
      } catch (err) {
        // Two starts at once: the other one's session is the session.
        if (!isDuplicateKeyError(err)) throw err;
        return statusOf(actor, await sessionOf(actor, roundId));
      }
    },

    /** A round's session, with the count so far. */
    async status(actor: Actor, roundId: string): Promise<SessionStatus> {
      assertRole(actor, 'coach');
      return statusOf(actor, await sessionOf(actor, roundId));
    },

    /** A presenter link's session, with the count; SESSION_NOT_FOUND for any other token. */
    async presenterStatus(token: unknown): Promise<SessionStatus> {
      const id = deps.presenterLinks.idOf(token);
      const session = id === null ? null : await repository.byId(id);
      if (!session) throw new NotFoundError('SESSION_NOT_FOUND', messages.presenterNotFound);
      return statusOf(presenterActor(session), session);
    },

    /** The state a stream reports, read again (another instance may have changed it). */
    async current(session: Session): Promise<SessionStatus | null> {
      const now = await repository.byId(session.id);
      return now ? statusOf(presenterActor(now), now) : null;
    },

    /** The presenter link's token: the page and its event stream take it. */
    presenterToken: (session: Session) => deps.presenterLinks.tokenOf(session.id),

    presenterUrl: (session: Session) =>
      `${deps.baseUrl}/present/${deps.presenterLinks.tokenOf(session.id)}`,

    /**
     * Reveals the results: closes the round (its answers are final) and shows the summary.
     * Refused below k in an anonymous round, with how many more answers are needed.
     */
    async reveal(actor: Actor, roundId: string): Promise<SessionStatus> {
      assertRole(actor, 'coach');
      const status = await statusOf(actor, await sessionOf(actor, roundId));
      if (status.state !== 'collecting')
        throw new ConflictError('SESSION_NOT_COLLECTING', messages.notCollecting);
      const { participation, round } = status;
      if (!participation.kReached)
        throw new ConflictError(
          'BELOW_K',
          messages.belowK(participation.missingForK, round.minGroupSize),
        );
      if (deps.rounds.effectiveStatus(round) === 'open') {
        try {
          await deps.rounds.close(actor, roundId);
        } catch (err) {
          // Closed meanwhile (by another click, or its closing date): closed is what we want.
          if (!(err instanceof ConflictError && err.code === 'ROUND_NOT_OPEN')) throw err;
        }
      }
      const now = deps.clock();
      const session = await move(status.session, ['collecting'], 'SESSION_NOT_COLLECTING', {
        state: 'revealed',
        step: 0,
        revealedAt: now,
      });
      return statusOf(actor, session);
    },

    /** Shows the summary (0) or the n-th item in discuss-first order. */
    async step(actor: Actor, roundId: string, input: unknown): Promise<SessionStatus> {
      assertRole(actor, 'coach');
      const { index } = parseInput(StepInput, input);
      const session = await sessionOf(actor, roundId);
      if (effectiveState(session, deps.clock()) !== 'revealed')
        throw new ConflictError('SESSION_NOT_REVEALED', messages.notRevealed);
      const report = await deps.roomReport(actor, roundId);
      const last = report.items.length;
      if (index > last)
        throw new ValidationError([{ path: 'index', message: messages.stepOutOfRange(last) }]);
      const moved = await move(session, ['revealed'], 'SESSION_NOT_REVEALED', { step: index });
      return statusOf(actor, moved);
    },

    /** Ends the session: the room sees the actions agreed; the round stays as it is. */
    async end(actor: Actor, roundId: string): Promise<SessionStatus> {
      assertRole(actor, 'coach');
      const session = await sessionOf(actor, roundId);
      const ended = await move(session, ['collecting', 'revealed'], 'SESSION_NOT_COLLECTING', {
        state: 'ended',
        endedAt: deps.clock(),
      });
      return statusOf(actor, ended);
    },

    /**
     * Agrees an action on the item the room is looking at (the actions feature keeps it; the
     * next round's report follows it up).
     */
    async agree(actor: Actor, roundId: string, input: unknown): Promise<{ id: string }> {
      assertRole(actor, 'coach');
      const data = parseInput(RoomActionInput, input);
      const status = await statusOf(actor, await sessionOf(actor, roundId));
      if (status.state !== 'revealed')
        throw new ConflictError('SESSION_NOT_REVEALED', messages.notRevealed);
      const stage = await stageOf(actor, status);
      if (!stage?.itemId) throw new ValidationError([{ path: 'title', message: messages.noItem }]);
      const item = stage.report.items.find((i) => i.itemId === stage.itemId);
      const action = await deps.actions.create(actor, status.round.teamId, {
        sourceRoundId: roundId,
        itemId: stage.itemId,
        title: data.title,
        owner: data.owner,
        dueOn: data.dueOn,
        pole: item?.kind === 'tension' ? data.pole : null,
      });
      // The room's screens show the action: a new version of the session tells them to look.
      await move(status.session, ['revealed'], 'SESSION_NOT_REVEALED', {});
      return action;
    },

    stage: stageOf,
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
