import { ConflictError, NotFoundError } from '../../shared/errors';
import type { SignedLinks } from '../../shared/signed-links';
import type { ReportService } from '../reports';
import type { RoundService } from '../rounds';
import { assertRole, type Actor } from '../workspaces';
import type { ResultsLink, ResultsLinkRepository } from './results.repository';

export type ResultsServiceDeps = Readonly<{
  repository: ResultsLinkRepository;
  rounds: Pick<RoundService, 'get' | 'effectiveStatus'>;
  reports: Pick<ReportService, 'teamView'>;
  /** Signs and reads the links' tokens (`<id>.<signature>`). */
  links: SignedLinks;
  /** Where people reach the service (BASE_URL): links start with it. */
  baseUrl: string;
  clock: () => Date;
}>;

const messages = {
  notClosed:
    'The team’s results can be shared once the round is closed: its figures still change while people answer.',
  noLink: 'This round has no team results link.',
} as const;

/** A round's team results link as a coach sees it. */
export type SharedLink = Readonly<{ roundId: string; url: string; createdAt: Date }>;

/**
 * Team results links (DESIGN.md): a coach shares a closed round's results with the team by a
 * link that needs no account, and can revoke it. What the link shows is the reports service's
 * team view, which applies the anonymity rule to every round, named ones included.
 */
export function createResultsService(deps: ResultsServiceDeps) {
  const { repository, links } = deps;
  const shared = (link: ResultsLink): SharedLink => ({
    roundId: link.roundId,
    url: `${deps.baseUrl}/results/${links.tokenOf(link.id)}`,
    createdAt: link.createdAt,
  });

  /** The round, for a coach of its workspace (404 for another workspace's). */
  async function coachRound(actor: Actor, roundId: string) {
    assertRole(actor, 'coach');
    return deps.rounds.get(actor, roundId);
  }

  /** The round's link, if it has one. */
  async function find(actor: Actor, roundId: string): Promise<SharedLink | null> {
    await coachRound(actor, roundId);
    const link = await repository.ofRound(actor.workspaceId, roundId);
    return link ? shared(link) : null;
  }

  return {
    find,

    /** The round's link; 404 when it has none. */
    async get(actor: Actor, roundId: string): Promise<SharedLink> {
      const link = await find(actor, roundId);
      if (!link) throw new NotFoundError('RESULTS_LINK_NOT_FOUND', messages.noLink);
      return link;
    },

    /** The round's link, made now unless it has one already (the same link again). */
    async create(actor: Actor, roundId: string): Promise<{ link: SharedLink; created: boolean }> {
      const round = await coachRound(actor, roundId);
      // A live session's reveal closes its round: "revealed or closed" is closed.
      if (deps.rounds.effectiveStatus(round) !== 'closed')
        throw new ConflictError('ROUND_NOT_CLOSED', messages.notClosed);
      const { link, created } = await repository.create(
        { workspaceId: actor.workspaceId, roundId, createdBy: actor.userId },
        deps.clock(),
      );
      return { link: shared(link), created };
    },

    /** Revokes the round's link, if it has one: it stops working at once. */
    async revoke(actor: Actor, roundId: string): Promise<void> {
      await coachRound(actor, roundId);
      await repository.remove(actor.workspaceId, roundId);
    },

    /**
     * What a results link shows: the team view of its round; null for an unknown, forged or
     * revoked token alike, so that a link tells nothing of others.
     */
    async view(token: string) {
      const id = links.idOf(token);
      const link = id === null ? null : await repository.byId(id);
      if (!link) return null;
      // The holder of a link is nobody in the workspace: it reads as a viewer of the link's
      // workspace through a token, which is all the report service asks of an actor (every
      // read is scoped to the workspace; nothing is written). A narrower entry to reports
      // would duplicate the reads behind every report for the one caller that has no member.
      const actor: Actor = {
        userId: `results-link:${link.id}`,
        workspaceId: link.workspaceId,
        role: 'viewer',
        via: 'token',
      };
      return deps.reports.teamView(actor, link.roundId);
    },
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
