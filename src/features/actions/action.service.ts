import { NotFoundError, ValidationError, type FieldIssue } from '../../shared/errors';
import { parseInput } from '../../shared/http/validate';
import type { Item, QuestionnaireDefinition } from '../questionnaires';
import type { Round } from '../rounds';
import { assertRole, type Actor } from '../workspaces';
import type { ActionRepository } from './action.repository';
import { CreateActionInput, UpdateActionInput } from './action.schemas';
import { dayOf, type Action, type DescribedAction, type ItemRef } from './action.types';

/** What actions need of other features: narrow interfaces, passed in by app.ts. */
export type ActionServiceDeps = Readonly<{
  repository: ActionRepository;
  teams: { get: (actor: Actor, teamId: string) => Promise<{ id: string; name: string }> };
  rounds: {
    get: (actor: Actor, roundId: string) => Promise<Round>;
    list: (actor: Actor, filter?: { teamId?: string }) => Promise<Round[]>;
  };
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
  clock: () => Date;
}>;

const messages = {
  notFound: 'There is no such action in this workspace.',
  roundNotOfTeam: 'Choose one of this team’s rounds.',
  roundNotBegun: 'Choose a round that has been opened: a draft has no answers to act on.',
  itemNotInRound: 'That item is not in the questionnaire of the round you chose.',
  poleWithoutTension: 'A target pole is for tension items only.',
};

const invalid = (issue: FieldIssue) => new ValidationError([issue]);

/** Items in questionnaire order, numbered as the report numbers them. */
function numberedItems(definition: QuestionnaireDefinition) {
  return definition.sections.flatMap((s) => s.items).map((item, i) => ({ item, number: i + 1 }));
}

const titleOf = (item: Item) => (item.kind === 'maturity' ? item.statement : item.prompt);

function describeItem({ item, number }: { item: Item; number: number }): ItemRef {
  return {
    id: item.id,
    number,
    kind: item.kind,
    title: titleOf(item),
    left: item.kind === 'tension' ? item.left.label : null,
    right: item.kind === 'tension' ? item.right.label : null,
  };
}

/** Open ones first (the soonest due first, undated last), then the others, latest change first. */
function byUrgency(a: Action, b: Action): number {
  const openA = a.status === 'open';
  const openB = b.status === 'open';
  if (openA !== openB) return openA ? -1 : 1;
  if (openA) {
    const dueA = a.dueOn ?? '9999-12-31';
    const dueB = b.dueOn ?? '9999-12-31';
    if (dueA !== dueB) return dueA < dueB ? -1 : 1;
    return a.createdAt.getTime() - b.createdAt.getTime();
  }
  return b.updatedAt.getTime() - a.updatedAt.getTime();
}

/**
 * Actions: what a team agreed after a round, kept in the team's workspace. Coaches write,
 * viewers read; another workspace's action is not found. An action always names a round of its
 * team that has begun, and its item (if any) is one of that round's items, with a pole only for
 * a tension. An action whose round no longer exists is never shown.
 */
export function createActionService(deps: ActionServiceDeps) {
  const { repository } = deps;
  const startOf = (round: Round) => round.openedAt ?? round.createdAt;

  /** A round of the actor's workspace, or null (gone, or never there). */
  const roundOrNull = (actor: Actor, roundId: string) =>
    deps.rounds.get(actor, roundId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });

  /** The source round of a new action, checked: this team's, and begun. */
  async function sourceRoundOf(actor: Actor, teamId: string, roundId: string): Promise<Round> {
    const round = await roundOrNull(actor, roundId);
    if (!round || round.teamId !== teamId) {
      throw invalid({ path: 'sourceRoundId', message: messages.roundNotOfTeam });
    }
    if (round.status === 'draft') {
      throw invalid({ path: 'sourceRoundId', message: messages.roundNotBegun });
    }
    return round;
  }

  async function itemOf(round: Round, itemId: string): Promise<Item | null> {
    const definition = await deps.questionnaires.byId(round.questionnaire.id);
    return numberedItems(definition).find((x) => x.item.id === itemId)?.item ?? null;
  }

  /** Adds the round titles and item words; drops actions whose round is gone (no orphans). */
  async function describe(actions: readonly Action[], rounds: readonly Round[]) {
    const byId = new Map(rounds.map((r) => [r.id, r]));
    const kept = actions.filter((a) => byId.has(a.sourceRoundId));
    const definitions = new Map(
      await Promise.all(
        [...new Set(kept.map((a) => byId.get(a.sourceRoundId)!.questionnaire.id))].map(
          async (id) => [id, numberedItems(await deps.questionnaires.byId(id))] as const,
        ),
      ),
    );
    return kept.map((action): DescribedAction => {
      const round = byId.get(action.sourceRoundId)!;
      const found = action.itemId
        ? definitions.get(round.questionnaire.id)!.find((x) => x.item.id === action.itemId)
        : undefined;
      return {
        action,
        sourceRound: { id: round.id, title: round.title, startedAt: startOf(round) },
        item: found ? describeItem(found) : null,
      };
    });
  }

  /** An action with its round; an action whose round is gone is not found either. */
  async function load(actor: Actor, actionId: string): Promise<{ action: Action; round: Round }> {
    assertRole(actor, 'viewer');
    const action = await repository.get(actor.workspaceId, actionId);
    const round = action && (await roundOrNull(actor, action.sourceRoundId));
    if (!action || !round) throw new NotFoundError('ACTION_NOT_FOUND', messages.notFound);
    return { action, round };
  }

  return {
    get: async (actor: Actor, actionId: string) => (await load(actor, actionId)).action,

    teamOf: (actor: Actor, teamId: string) => deps.teams.get(actor, teamId),

    /**
     * What the form for a new action offers: the team's rounds that have begun (newest first)
     * and the items of the chosen one (by default the newest).
     */
    async choices(actor: Actor, teamId: string, roundId?: string) {
      assertRole(actor, 'coach');
      const team = await deps.teams.get(actor, teamId);
      const rounds = (await deps.rounds.list(actor, { teamId }))
        .filter((r) => r.status !== 'draft')
        .sort((a, b) => startOf(b).getTime() - startOf(a).getTime());
      const round = rounds.find((r) => r.id === roundId) ?? rounds[0] ?? null;
      const items = round
        ? numberedItems(await deps.questionnaires.byId(round.questionnaire.id)).map(describeItem)
        : [];
      return { team, rounds, round, items };
    },

    /** One action with its round and item described (the edit page). */
    async describeOne(actor: Actor, actionId: string): Promise<DescribedAction> {
      const { action, round } = await load(actor, actionId);
      return (await describe([action], [round]))[0]!;
    },

    /**
     * A team's actions, most urgent first, for a caller that has read the team and its rounds
     * already (a report): no second read of either. Actions of rounds not given are left out.
     */
    async ofRounds(actor: Actor, teamId: string, rounds: readonly Round[]) {
      assertRole(actor, 'viewer');
      const actions = await repository.ofTeams(actor.workspaceId, [teamId]);
      return describe([...actions].sort(byUrgency), rounds);
    },

    /** A team's actions, most urgent first. */
    async list(actor: Actor, teamId: string): Promise<DescribedAction[]> {
      assertRole(actor, 'viewer');
      await deps.teams.get(actor, teamId);
      const [actions, rounds] = await Promise.all([
        repository.ofTeams(actor.workspaceId, [teamId]),
        deps.rounds.list(actor, { teamId }),
      ]);
      return describe([...actions].sort(byUrgency), rounds);
    },

    /** Several teams' actions at once (the dashboard), most urgent first. */
    async ofTeams(actor: Actor, teamIds: readonly string[]): Promise<DescribedAction[]> {
      assertRole(actor, 'viewer');
      if (teamIds.length === 0) return [];
      const [actions, rounds] = await Promise.all([
        repository.ofTeams(actor.workspaceId, teamIds),
        deps.rounds.list(actor),
      ]);
      return describe([...actions].sort(byUrgency), rounds);
    },

    async create(actor: Actor, teamId: string, input: unknown): Promise<Action> {
      assertRole(actor, 'coach');
      const data = parseInput(CreateActionInput, input);
      await deps.teams.get(actor, teamId);
      const round = await sourceRoundOf(actor, teamId, data.sourceRoundId);
      const item = data.itemId === null ? null : await itemOf(round, data.itemId);
      if (data.itemId !== null && !item) {
        throw invalid({ path: 'itemId', message: messages.itemNotInRound });
      }
      if (data.pole !== null && item?.kind !== 'tension') {
        throw invalid({ path: 'pole', message: messages.poleWithoutTension });
      }
      return repository.insert({
        workspaceId: actor.workspaceId,
        teamId,
        ...data,
        createdAt: deps.clock(),
      });
    },

    async update(actor: Actor, actionId: string, input: unknown): Promise<Action> {
      assertRole(actor, 'coach');
      const data = parseInput(UpdateActionInput, input);
      const { action, round } = await load(actor, actionId);
      if (data.pole) {
        const item = action.itemId ? await itemOf(round, action.itemId) : null;
        if (item?.kind !== 'tension') {
          throw invalid({ path: 'pole', message: messages.poleWithoutTension });
        }
      }
      const updated = await repository.update(actor.workspaceId, actionId, data, deps.clock());
      if (!updated) throw new NotFoundError('ACTION_NOT_FOUND', messages.notFound);
      return updated;
    },

    async remove(actor: Actor, actionId: string): Promise<Action> {
      assertRole(actor, 'coach');
      const { action } = await load(actor, actionId);
      if (!(await repository.remove(actor.workspaceId, actionId))) {
        throw new NotFoundError('ACTION_NOT_FOUND', messages.notFound);
      }
      return action;
    },

    /** Today as the actions' due days are written (UTC), for "overdue". */
    today: () => dayOf(deps.clock()),
  };
}

export type ActionService = ReturnType<typeof createActionService>;
