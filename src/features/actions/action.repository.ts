import { type Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { randomId } from '../../shared/ids';
import { actionModel, type ActionDoc } from './action.model';
import type { Action } from './action.types';

const toAction = (d: ActionDoc): Action => ({
  id: d._id,
  workspaceId: d.workspaceId,
  teamId: d.teamId,
  sourceRoundId: d.sourceRoundId,
  itemId: d.itemId,
  pole: d.pole,
  title: d.title,
  owner: d.owner,
  dueOn: d.dueOn,
  status: d.status,
  notes: d.notes,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export type ActionChange = Partial<
  Pick<Action, 'title' | 'owner' | 'dueOn' | 'status' | 'notes' | 'pole'>
>;

/** Every query names the workspace: an action of another workspace is simply not found. */
export function createActionRepository(conn: Connection) {
  const model = actionModel(conn);

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    async insert(input: Omit<Action, 'id' | 'updatedAt'>): Promise<Action> {
      const doc: ActionDoc = { _id: randomId(), ...input, updatedAt: input.createdAt };
      await model.create(doc);
      return toAction(doc);
    },

    async get(workspaceId: string, id: string): Promise<Action | null> {
      const doc = await model.findOne({ _id: id, workspaceId }).lean<ActionDoc>();
      return doc ? toAction(doc) : null;
    },

    /** The actions of some teams, oldest first. */
    async ofTeams(workspaceId: string, teamIds: readonly string[]): Promise<Action[]> {
      const docs = await model
        .find({ workspaceId, teamId: anyOf(teamIds) })
        .sort({ createdAt: 1, _id: 1 })
        .lean<ActionDoc[]>();
      return docs.map(toAction);
    },

    async update(
      workspaceId: string,
      id: string,
      change: ActionChange,
      updatedAt: Date,
    ): Promise<Action | null> {
      // Only the fields that change: an undefined value must not erase a field.
      const set = Object.fromEntries(
        Object.entries({ ...change, updatedAt }).filter(([, value]) => value !== undefined),
      );
      const doc = await model
        .findOneAndUpdate({ _id: id, workspaceId }, { $set: set }, { returnDocument: 'after' })
        .lean<ActionDoc>();
      return doc ? toAction(doc) : null;
    },

    async remove(workspaceId: string, id: string): Promise<boolean> {
      const result = await model.deleteOne({ _id: id, workspaceId });
      return result.deletedCount === 1;
    },
  };
}

export type ActionRepository = ReturnType<typeof createActionRepository>;
