import { NotFoundError } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import { assertRole, type Actor } from '../workspaces';
import type { TeamRepository } from './team.repository';
import { CreateTeamInput, UpdateTeamInput } from './team.schemas';
import type { Team } from './team.types';

/** What another feature closed because a team was archived (rounds: its open rounds). */
export type ClosedOnArchive = readonly { id: string; title: string }[];
type ArchiveListener = (workspaceId: string, teamId: string) => Promise<ClosedOnArchive>;

export function createTeamService(deps: { repository: TeamRepository; clock: () => Date }) {
  const { repository } = deps;
  const renameListeners: ((workspaceId: string, teamId: string, name: string) => Promise<void>)[] =
    [];
  const archiveListeners: ArchiveListener[] = [];

  async function get(actor: Actor, teamId: string): Promise<Team> {
    assertRole(actor, 'viewer');
    const team = await repository.get(actor.workspaceId, teamId);
    if (!team)
      throw new NotFoundError('TEAM_NOT_FOUND', 'There is no such team in this workspace.');
    return team;
  }

  return {
    get,

    async list(actor: Actor, options: { includeArchived?: boolean } = {}): Promise<Team[]> {
      assertRole(actor, 'viewer');
      return repository.list(actor.workspaceId, options.includeArchived ?? false);
    },

    /** A team's name for the people who answer its rounds (they have no account). */
    async nameForRespondents(workspaceId: string, teamId: string): Promise<string> {
      return (await repository.get(workspaceId, teamId))?.name ?? '';
    },

    async getMany(actor: Actor, teamIds: readonly string[]): Promise<Team[]> {
      assertRole(actor, 'viewer');
      return repository.getMany(actor.workspaceId, teamIds);
    },

    async create(actor: Actor, input: unknown): Promise<Team> {
      assertRole(actor, 'coach');
      const data = parseInput(CreateTeamInput, input);
      return repository.insert({
        workspaceId: actor.workspaceId,
        ...data,
        createdAt: deps.clock(),
      });
    },

    /**
     * Rename, retag, set the expected size, archive (`archived: true`) or restore (`archived:
     * false`). Archiving closes the team's open rounds: `closedRounds` says which (present
     * only when the request archived).
     */
    async update(
      actor: Actor,
      teamId: string,
      input: unknown,
    ): Promise<Team & { closedRounds?: ClosedOnArchive }> {
      assertRole(actor, 'coach');
      const data = parseInput(UpdateTeamInput, input);
      const updated = await repository.update(actor.workspaceId, teamId, {
        name: data.name,
        tags: data.tags,
        expectedSize: data.expectedSize,
        members: data.members,
        ...(data.archived === undefined ? {} : { archivedAt: data.archived ? deps.clock() : null }),
      });
      if (!updated)
        throw new NotFoundError('TEAM_NOT_FOUND', 'There is no such team in this workspace.');
      // Awaited, and on every rename even to the same name: a rename whose news failed to
      // reach the rounds (a 503) is put right by sending it again.
      if (data.name !== undefined) {
        for (const listener of renameListeners)
          await listener(actor.workspaceId, teamId, updated.name);
      }
      // After the team is archived, so that no new round starts meanwhile; archiving again
      // closes what a failed attempt left open.
      if (data.archived === true) {
        const closedRounds: { id: string; title: string }[] = [];
        for (const listener of archiveListeners)
          closedRounds.push(...(await listener(actor.workspaceId, teamId)));
        return { ...updated, closedRounds };
      }
      return updated;
    },

    /** Calls back (awaited) after a team was archived; the listener answers what it closed. */
    onArchived(listener: ArchiveListener) {
      archiveListeners.push(listener);
    },

    /** Calls back (awaited) after a team was renamed. */
    onRenamed(listener: (workspaceId: string, teamId: string, name: string) => Promise<void>) {
      renameListeners.push(listener);
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
