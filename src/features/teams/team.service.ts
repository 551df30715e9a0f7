import { NotFoundError } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import { assertRole, type Actor } from '../workspaces';
import type { TeamRepository } from './team.repository';
import { CreateTeamInput, UpdateTeamInput } from './team.schemas';
import type { Team } from './team.types';

export function createTeamService(deps: {
  repository: TeamRepository;
  clock: () => Date;
  /** Resolves once the database is prepared (indexes, built-in content: shared/db/preparation.ts). */
  ready: () => Promise<void>;
}) {
  const { repository } = deps;
  const renameListeners: ((workspaceId: string, teamId: string, name: string) => Promise<void>)[] =
    [];

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
      await deps.ready();
      return repository.insert({
        workspaceId: actor.workspaceId,
        ...data,
        createdAt: deps.clock(),
      });
    },

    /** Rename, retag, set the expected size, archive (`archived: true`) or restore (`archived: false`). */
    async update(actor: Actor, teamId: string, input: unknown): Promise<Team> {
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
      return updated;
    },

    /** Calls back (awaited) after a team was renamed. */
    onRenamed(listener: (workspaceId: string, teamId: string, name: string) => Promise<void>) {
      renameListeners.push(listener);
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
