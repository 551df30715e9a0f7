import type { Connection } from 'mongoose';
import { anyOf } from '../../shared/db/filters';
import { roundModel, type RoundDoc } from './round.model';
import type { Round, RoundStatus } from './round.types';

const toRound = (d: RoundDoc): Round => ({
  id: d._id,
  workspaceId: d.workspaceId,
  teamId: d.teamId,
  teamName: d.teamName ?? null,
  invited: d.invited ?? 0,
  questionnaire: { ...d.questionnaire },
  title: d.title,
  anonymity: d.anonymity,
  access: d.access ?? 'link',
  minGroupSize: d.minGroupSize,
  status: d.status,
  closesAt: d.closesAt,
  linkToken: d.linkToken,
  createdAt: d.createdAt,
  openedAt: d.openedAt,
  closedAt: d.closedAt,
});

/** Every query by id names the workspace: a round of another workspace is simply not found. */
export function createRoundRepository(conn: Connection) {
  const model = roundModel(conn);

  return {
    async init(): Promise<void> {
      await model.createIndexes();
    },

    async insert(input: Omit<RoundDoc, 'status' | 'openedAt' | 'closedAt'>): Promise<Round> {
      const doc: RoundDoc = {
        ...input,
        status: 'draft',
        openedAt: null,
        closedAt: null,
      };
      await model.create(doc);
      return toRound(doc);
    },

    async get(workspaceId: string, id: string): Promise<Round | null> {
      const doc = await model.findOne({ _id: id, workspaceId }).lean<RoundDoc>();
      return doc ? toRound(doc) : null;
    },

    async list(
      workspaceId: string,
      filter: { teamId?: string; status?: RoundStatus },
    ): Promise<Round[]> {
      const docs = await model
        .find({ workspaceId, ...filter })
        .sort({ createdAt: -1 })
        .lean<RoundDoc[]>();
      return docs.map(toRound);
    },

    async setInvited(workspaceId: string, id: string, invited: number): Promise<void> {
      // $max: of two invites at once, the one that counted fewer cannot win.
      await model.updateOne({ _id: id, workspaceId }, { $max: { invited } });
    },

    /** Gives every round of the team its new name; returns the rounds' ids. */
    async setTeamName(workspaceId: string, teamId: string, teamName: string): Promise<string[]> {
      const rounds = await model
        .find({ workspaceId, teamId }, { _id: 1 })
        .lean<{ _id: string }[]>();
      await model.updateMany({ workspaceId, teamId }, { $set: { teamName } });
      return rounds.map((r) => r._id);
    },

    async findByLinkToken(linkToken: string): Promise<Round | null> {
      const doc = await model.findOne({ linkToken }).lean<RoundDoc>();
      return doc ? toRound(doc) : null;
    },

    /**
     * Moves a round from one status to the next only if it still has the expected one (two
     * coaches clicking at once cannot both succeed); null when it did not.
     */
    async transition(
      workspaceId: string,
      id: string,
      from: RoundStatus,
      to: RoundStatus,
      at: Date,
    ): Promise<Round | null> {
      const stamp = to === 'open' ? { openedAt: at } : to === 'closed' ? { closedAt: at } : {};
      const doc = await model
        .findOneAndUpdate(
          { _id: id, workspaceId, status: from },
          { $set: { status: to, ...stamp } },
          { returnDocument: 'after' },
        )
        .lean();
      return doc ? toRound(doc) : null;
    },

    /**
     * A new title or closing date (undefined: unchanged). The closing date changes only while
     * the round is not closed, checked in the same write; null when it was closed or is gone.
     */
    async update(
      workspaceId: string,
      id: string,
      change: { title?: string; closesAt?: Date | null },
    ): Promise<Round | null> {
      const set = Object.fromEntries(
        Object.entries(change).filter(([, value]) => value !== undefined),
      );
      const doc = await model
        .findOneAndUpdate(
          {
            _id: id,
            workspaceId,
            ...(change.closesAt === undefined ? {} : { status: anyOf(['draft', 'open']) }),
          },
          { $set: set },
          { returnDocument: 'after' },
        )
        .lean();
      return doc ? toRound(doc) : null;
    },

    /** Whether any round of the workspace, of any status, uses one of these questionnaire versions. */
    async anyUsing(workspaceId: string, questionnaireIds: readonly string[]): Promise<boolean> {
      const filter = { workspaceId, 'questionnaire.id': anyOf(questionnaireIds) };
      return (await model.exists(filter)) !== null;
    },

    /** Deletes the round if it is still a draft; false when it is not (or is gone). */
    async removeDraft(workspaceId: string, id: string): Promise<boolean> {
      const result = await model.deleteOne({ _id: id, workspaceId, status: 'draft' });
      return result.deletedCount === 1;
    },

    /** Closes the team's open rounds at `at`; returns them as closed. */
    async closeOpenOfTeam(workspaceId: string, teamId: string, at: Date): Promise<Round[]> {
      const open = await model.find({ workspaceId, teamId, status: 'open' }).lean<RoundDoc[]>();
      await model.updateMany(
        { workspaceId, teamId, status: 'open', _id: anyOf(open.map((d) => d._id)) },
        { $set: { status: 'closed', closedAt: at } },
      );
      return open.map((d) => toRound({ ...d, status: 'closed', closedAt: at }));
    },

    async setLinkToken(workspaceId: string, id: string, linkToken: string): Promise<Round | null> {
      const doc = await model
        .findOneAndUpdate(
          { _id: id, workspaceId },
          { $set: { linkToken } },
          { returnDocument: 'after' },
        )
        .lean();
      return doc ? toRound(doc) : null;
    },
  };
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;
