import { type Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { ConflictError } from '../../shared/errors';
import { randomId } from '../../shared/ids';
import { teamModel, type TeamDoc } from './team.model';
import type { Team } from './team.types';
import { isDuplicateKeyError } from '../../shared/db/duplicate-key';

const toTeam = (d: TeamDoc): Team => ({
  id: d._id,
  workspaceId: d.workspaceId,
  name: d.name,
  tags: d.tags,
  // Teams stored before expected sizes existed have no field.
  expectedSize: d.expectedSize ?? null,
  members: d.members ?? [],
  archivedAt: d.archivedAt,
  createdAt: d.createdAt,
});

function duplicateName(err: unknown, name: string): never {
  if (isDuplicateKeyError(err)) {
    throw new ConflictError('TEAM_NAME_TAKEN', `There is a team called "${name}" already.`);
  }
  throw err;
}

/** Every query names the workspace: a team of another workspace is simply not found. */
export function createTeamRepository(conn: Connection) {
  const model = teamModel(conn);

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    async insert(input: {
      workspaceId: string;
      name: string;
      tags: string[];
      expectedSize: number | null;
      members: string[];
      createdAt: Date;
    }): Promise<Team> {
      const doc: TeamDoc = {
        _id: randomId(),
        ...input,
        nameLower: input.name.toLowerCase(),
        archivedAt: null,
      };
      await model.create(doc).catch((err: unknown) => duplicateName(err, input.name));
      return toTeam(doc);
    },

    async get(workspaceId: string, id: string): Promise<Team | null> {
      const doc = await model.findOne({ _id: id, workspaceId }).lean<TeamDoc>();
      return doc ? toTeam(doc) : null;
    },

    async getMany(workspaceId: string, ids: readonly string[]): Promise<Team[]> {
      const docs = await model.find({ workspaceId, _id: anyOf(ids) }).lean<TeamDoc[]>();
      return docs.map(toTeam);
    },

    async list(workspaceId: string, includeArchived: boolean): Promise<Team[]> {
      const docs = await model
        .find({ workspaceId, ...(includeArchived ? {} : { archivedAt: null }) })
        .sort({ nameLower: 1 })
        .lean<TeamDoc[]>();
      return docs.map(toTeam);
    },

    async update(
      workspaceId: string,
      id: string,
      change: {
        name?: string;
        tags?: string[];
        expectedSize?: number | null;
        members?: string[];
        archivedAt?: Date | null;
      },
    ): Promise<Team | null> {
      // Only the fields that change: an undefined value must not erase a field.
      const set = Object.fromEntries(
        Object.entries({
          ...change,
          nameLower: change.name?.toLowerCase(),
        }).filter(([, value]) => value !== undefined),
      );
      const doc = await model
        .findOneAndUpdate({ _id: id, workspaceId }, { $set: set }, { returnDocument: 'after' })
        .lean()
        .catch((err: unknown) => duplicateName(err, change.name ?? ''));
      return doc ? toTeam(doc) : null;
    },
  };
}

export type TeamRepository = ReturnType<typeof createTeamRepository>;
