import type { ItemComparison, QuestionnaireDefinition, VersionKey } from '../questionnaires';
import type { ResponseStats } from '../responses';
import { MIN_ANONYMOUS_GROUP, type Round, type RoundService } from '../rounds';
import { briefOf, type ActionBrief, type DescribedAction } from '../actions';
import type { Actor } from '../workspaces';
import { ConflictError, ValidationError } from '../../shared/errors';
import { safeFileName } from '../../shared/csv';
import { toExportDto } from './report.dto';
import { itemsCsv, responsesCsv } from './report.csv';
import type { Comparability, PickerTeam, RoundReport, SummarizedReport } from './report.types';
import { summarize } from './summary';
import { followUpOf } from './follow-up';
import { buildRoundReport } from './round-report';
import { notComparableItems, referenceOf, type Compared } from './comparison';

const messages = {
  anonymousExport:
    'This round is anonymous: its answers are exported only as item statistics, never as one row per person, which would put each person’s answers back together.',
  // Rounds of a fork and of its origin count as one questionnaire's (see compare).
  mixedQuestionnaires: 'Compare rounds of one questionnaire: these use several.',
};

/** What a report needs of a team. */
type ReportTeam = Readonly<{ id: string; name: string; expectedSize: number | null }>;

export type ReportServiceDeps = Readonly<{
  rounds: Pick<RoundService, 'get' | 'list' | 'effectiveStatus'>;
  teams: {
    get: (actor: Actor, teamId: string) => Promise<ReportTeam>;
    /** Those of `teamIds` in the actor's workspace, in one read (a comparison's teams). */
    getMany: (actor: Actor, teamIds: readonly string[]) => Promise<readonly ReportTeam[]>;
    /** The workspace's active teams (the comparison's picker). */
    list: (actor: Actor) => Promise<readonly { id: string; name: string }[]>;
  };
  questionnaires: {
    byId: (id: string) => Promise<QuestionnaireDefinition>;
    /** A questionnaire's versions; a fork's first one names its origin (`derivedFrom`). */
    versions: (
      workspaceId: string,
      slug: string,
    ) => Promise<readonly Readonly<{ derivedFrom: VersionKey | null }>[]>;
    /** Per item id of either version, whether its answers compare (questionnaire lineage). */
    comparabilityBetween: (
      workspaceId: string,
      a: VersionKey,
      b: VersionKey,
    ) => Promise<Record<string, ItemComparison>>;
  };
  responses: ResponseStats;
  /** The team's actions (most urgent first) and today's date as their due days are written. */
  actions: {
    /** The team's actions whose round is one of `rounds` (read already by the report). */
    ofRounds: (
      actor: Actor,
      teamId: string,
      rounds: readonly Round[],
    ) => Promise<DescribedAction[]>;
    today: () => string;
  };
}>;

/** A round to report on, with what its report needs of its team. */
type Entry = Readonly<{
  round: Round;
  team: Readonly<{ name: string; expectedSize: number | null }>;
}>;

/**
 * Who reads a report: a member of the workspace (the coach's report); the team through its
 * results link, which sees a round as an anonymous one (`teamView`); or the team in the room of
 * a live session, which sees it the same way but with the owners of the actions it just agreed
 * (`roomReport`).
 */
type Audience = 'coach' | 'team' | 'room';

/** The team's view's k: the round's, and at least the anonymous minimum (named rounds too). */
export const teamMinGroupSize = (round: Pick<Round, 'minGroupSize'>) =>
  Math.max(round.minGroupSize, MIN_ANONYMOUS_GROUP);

/** A round as the team's view reads it: anonymous, with the team's view's k. */
const asAnonymous = (round: Round): Round => ({
  ...round,
  anonymity: 'anonymous',
  minGroupSize: teamMinGroupSize(round),
});

/**
 * An action as the team's view shows it: what was agreed, without the person who owns it (a
 * name) or the coach's notes (free text, which may name people).
 */
const unnamed = <A extends ActionBrief>(action: A): A => ({ ...action, owner: null, notes: '' });

/**
 * Round reports: the service reads what a report needs (the round, its team, questionnaire,
 * counts and texts) and builds it with buildRoundReport, which applies the anonymity rule
 * before any page, API answer or export sees the data.
 */
export function createReportService(deps: ReportServiceDeps) {
  /**
   * The reports of several rounds (one for a round report, many for a comparison or a trend).
   * Counts come from the rounds' tallies, so a report costs the same whatever the number of
   * responses, open round or closed; comments are read for all rounds in one query.
   */
  async function buildAll(
    entries: readonly Entry[],
    audience: Audience = 'coach',
  ): Promise<RoundReport[]> {
    const definitions = new Map(
      await Promise.all(
        [...new Set(entries.map((e) => e.round.questionnaire.id))].map(
          async (id) => [id, await deps.questionnaires.byId(id)] as const,
        ),
      ),
    );
    const kindsOf = (round: Round) =>
      new Set(
        definitions
          .get(round.questionnaire.id)!
          .sections.flatMap((s) => s.items.map((i) => i.kind)),
      );
    const rounds = entries.map((e) => e.round);
    const [counts, texts] = await Promise.all([
      deps.responses.counts(rounds.map((r) => r.id)),
      // Practice answers and tensions' "why?" are texts.
      deps.responses.texts(
        rounds
          .filter((r) => kindsOf(r).has('practice') || kindsOf(r).has('tension'))
          .map((r) => r.id),
      ),
    ]);
    return entries.map(({ round, team }) =>
      buildRoundReport(
        {
          ...(audience === 'coach' ? round : asAnonymous(round)),
          status: deps.rounds.effectiveStatus(round),
        },
        team,
        definitions.get(round.questionnaire.id)!,
        counts.get(round.id)!,
        texts.get(round.id) ?? [],
      ),
    );
  }

  /**
   * The raw responses of a named round for its exports, by name. Anonymous rounds have none
   * (DESIGN.md): a row would hold one person's answers together.
   */
  async function namedRows(round: Round) {
    const all = await deps.responses.all(round.id);
    return all
      .map((r) => ({
        answers: r.answers,
        name: r.respondentName ?? '',
        role: r.respondentRole ?? '',
        day: r.day,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.day.localeCompare(b.day));
  }

  type Versioned = Pick<RoundReport, 'questionnaire'>;

  /** What lineage says of each item between two rounds' questionnaire versions. */
  const comparabilityOf = (actor: Actor, a: Versioned, b: Versioned): Promise<Comparability> =>
    deps.questionnaires.comparabilityBetween(actor.workspaceId, a.questionnaire, b.questionnaire);

  /**
   * `comparabilityOf` for many rounds (a comparison, a trend): most share their versions, so
   * each pair of versions is asked once.
   */
  function comparer(actor: Actor) {
    const asked = new Map<string, Promise<Comparability>>();
    const keyOf = ({ questionnaire: q }: Versioned) => `${q.slug}@${q.version}`;
    return (a: Versioned, b: Versioned): Promise<Comparability> => {
      const key = `${keyOf(a)}>${keyOf(b)}`;
      const known = asked.get(key) ?? comparabilityOf(actor, a, b);
      asked.set(key, known);
      return known;
    };
  }

  /**
   * Per slug, the one its lineage starts from: a fork's origin, through forks of forks. Rounds
   * of one family share item ids, so the comparison can put them side by side.
   */
  async function familiesOf(actor: Actor, slugs: readonly string[]) {
    const originOf = new Map<string, string | null>();
    const origin = async (slug: string) => {
      if (!originOf.has(slug)) {
        const versions = await deps.questionnaires.versions(actor.workspaceId, slug);
        originOf.set(slug, versions.find((v) => v.derivedFrom)?.derivedFrom?.slug ?? null);
      }
      return originOf.get(slug)!;
    };
    const families = new Map<string, string>();
    for (const slug of new Set(slugs)) {
      let root = slug;
      // CASE: a cycle cannot be stored (an origin exists before its fork); `seen` stops one
      // in a hand-edited database.
      const seen = new Set([root]);
      for (let up = await origin(root); up && !seen.has(up); up = await origin(root)) {
        seen.add(up);
        root = up;
      }
      families.set(slug, root);
    }
    return families;
  }

  /** A round the actor may read, with its team's name and expected size. */
  async function entryOf(actor: Actor, roundId: string): Promise<Entry> {
    const round = await deps.rounds.get(actor, roundId);
    const team = await deps.teams.get(actor, round.teamId);
    return { round, team };
  }

  /** When a round began, for ordering a team's rounds (a round not yet opened: its creation). */
  const startOf = (round: Round) => (round.openedAt ?? round.createdAt).getTime();

  /** The team's rounds that have begun (any questionnaire), oldest first. */
  async function begunRoundsOf(actor: Actor, teamId: string) {
    return (await deps.rounds.list(actor, { teamId }))
      .filter((r) => r.status !== 'draft')
      .sort((a, b) => startOf(a) - startOf(b));
  }
  const ofQuestionnaire = (rounds: readonly Round[], slug: string) =>
    rounds.filter((r) => r.questionnaire.slug === slug);

  /**
   * A round's report with its summary, which compares it with the team's previous round of the
   * same questionnaire, and the follow-up of the actions agreed since then: every round needed
   * is built together, from one read of their tallies.
   */
  async function summarizedOf(
    actor: Actor,
    entry: Entry,
    audience: Audience = 'coach',
  ): Promise<SummarizedReport> {
    const { round } = entry;
    const begun = await begunRoundsOf(actor, round.teamId);
    // Actions come from rounds that have begun: the rounds read here describe every one.
    const actions = await deps.actions.ofRounds(actor, round.teamId, begun);
    const earlier = ofQuestionnaire(begun, round.questionnaire.slug)
      .filter((r) => r.id !== round.id && startOf(r) < startOf(round))
      .at(-1);
    // "Since the last round": what the team agreed after its previous round of this
    // questionnaire, whose report is built anyway; those of earlier rounds, if still open,
    // are among the open actions.
    const since = earlier ? actions.filter((a) => a.sourceRound.id === earlier.id) : [];
    const built = await buildAll(
      earlier ? [entry, { ...entry, round: earlier }] : [entry],
      audience,
    );
    const report = built[0]!;
    const previous = built[1] ?? null;
    const comparability = previous ? await comparabilityOf(actor, previous, report) : {};
    const today = deps.actions.today();
    const brief = (a: DescribedAction) =>
      audience === 'team' ? unnamed(briefOf(a, today)) : briefOf(a, today);
    // Open actions as of this round: an older report does not list what was agreed after it,
    // nor again those it already follows up as "since the last round".
    const followedUp = new Set(since.map((a) => a.action.id));
    const openThen = actions.filter(
      (a) =>
        a.action.status === 'open' &&
        !followedUp.has(a.action.id) &&
        a.sourceRound.startedAt.getTime() <= startOf(round),
    );
    return {
      ...report,
      summary: summarize(
        report,
        previous && { report: previous, comparability },
        openThen.map(brief),
      ),
      actions: since.map((a) => {
        const followUp = followUpOf(a, previous, report, today, comparability);
        return audience === 'team' ? unnamed(followUp) : followUp;
      }),
      agreedActions: actions.filter((a) => a.sourceRound.id === round.id).map(brief),
    };
  }

  return {
    /** The comparison's picker: each active team with its rounds that have begun. */
    async pickerTeams(actor: Actor): Promise<PickerTeam[]> {
      const [teams, rounds] = await Promise.all([deps.teams.list(actor), deps.rounds.list(actor)]);
      const begun = rounds.filter((r) => r.status !== 'draft');
      const families = await familiesOf(
        actor,
        begun.map((r) => r.questionnaire.slug),
      );
      return teams.map((t) => ({
        id: t.id,
        name: t.name,
        rounds: begun
          .filter((r) => r.teamId === t.id)
          .map((r) => ({
            id: r.id,
            title: r.title,
            slug: r.questionnaire.slug,
            family: families.get(r.questionnaire.slug)!,
            questionnaireTitle: r.questionnaire.title,
            openedAt: r.openedAt,
          })),
      }));
    },

    /**
     * Several teams' rounds side by side. They must use one questionnaire (any versions), or a
     * fork and its origin: dimensions and items are matched by key and id, and lineage says per
     * round which items are not comparable with the reference (the newest version's) round.
     */
    async compare(actor: Actor, roundIds: readonly string[]): Promise<Compared> {
      const rounds = await Promise.all(
        [...new Set(roundIds)].map((id) => deps.rounds.get(actor, id)),
      );
      const teams = new Map(
        (await deps.teams.getMany(actor, [...new Set(rounds.map((r) => r.teamId))])).map((t) => [
          t.id,
          t,
        ]),
      );
      const reports = await buildAll(
        await Promise.all(
          rounds.map(async (round) => ({
            round,
            // CASE: a team the read did not return: `get` answers it as a round report would.
            team: teams.get(round.teamId) ?? (await deps.teams.get(actor, round.teamId)),
          })),
        ),
      );
      const reference = referenceOf(reports);
      if (!reference) return { reports, notComparable: [] };
      const compare = comparer(actor);
      const comparabilities = await Promise.all(reports.map((r) => compare(r, reference)));
      // Questionnaires of other slugs share items only through a fork: with no item in their
      // lineage (all `absent`), there is nothing to put side by side.
      const unrelated = reports.some(
        (r, i) =>
          r.questionnaire.slug !== reference.questionnaire.slug &&
          Object.values(comparabilities[i]!).every((c) => c.change === 'absent'),
      );
      if (unrelated) {
        throw new ValidationError(
          [{ path: 'rounds', message: messages.mixedQuestionnaires }],
          'The rounds use different questionnaires.',
        );
      }
      return {
        reports,
        notComparable: reports.map((r, i) =>
          notComparableItems(r, reference, comparabilities[i]!).map((n) => n.itemId),
        ),
      };
    },

    /**
     * A team's rounds of one questionnaire, oldest first, with their reports. Without a choice,
     * the questionnaire the team used most; the choices come with their titles.
     */
    async trend(actor: Actor, teamId: string, slug?: string) {
      const team = await deps.teams.get(actor, teamId);
      const begun = await begunRoundsOf(actor, teamId);
      const allActions = await deps.actions.ofRounds(actor, teamId, begun);
      const bySlug = new Map<string, { title: string; count: number }>();
      for (const r of begun) {
        const seen = bySlug.get(r.questionnaire.slug);
        // The newest round's title: a questionnaire's title may change between versions.
        bySlug.set(r.questionnaire.slug, {
          title: r.questionnaire.title,
          count: (seen?.count ?? 0) + 1,
        });
      }
      const chosen = slug ?? [...bySlug.entries()].sort((a, b) => b[1].count - a[1].count)[0]?.[0];
      // A fork's rounds are a trend of their own, not joined to its origin's: a team that
      // forked chose other questions on purpose, and the comparison puts the two side by side
      // where lineage says their items still compare.
      const own = chosen ? ofQuestionnaire(begun, chosen) : [];
      const reports = await buildAll(own.map((round) => ({ round, team })));
      // Per round, the items whose meaning changed since the round before (lineage): the
      // trend does not join their figures across that break.
      const compare = comparer(actor);
      const notComparable = await Promise.all(
        reports.map(async (report, i) => {
          const previous = reports[i - 1];
          return previous
            ? notComparableItems(previous, report, await compare(previous, report)).map(
                (n) => n.itemId,
              )
            : [];
        }),
      );
      const questionnaires = [...bySlug.entries()].map(([s, { title }]) => ({ slug: s, title }));
      // The time line: what the team agreed after each of these rounds.
      const today = deps.actions.today();
      const actions = allActions
        .filter((a) => own.some((r) => r.id === a.sourceRound.id))
        .map((a) => briefOf(a, today));
      return { team, slug: chosen ?? null, questionnaires, reports, notComparable, actions };
    },

    /** A download of a round: item statistics or raw answers as CSV, or everything as JSON. */
    async download(
      actor: Actor,
      roundId: string,
      kind: 'items' | 'responses' | 'json',
    ): Promise<{ fileName: string; type: string; body: string }> {
      const entry = await entryOf(actor, roundId);
      const { round } = entry;
      const nameParts = ['teamlens', entry.team.name, round.title];
      const named = round.anonymity === 'named';
      if (kind === 'items') {
        return {
          fileName: safeFileName([...nameParts, kind], 'csv'),
          type: 'text/csv; charset=utf-8',
          body: itemsCsv((await buildAll([entry]))[0]!),
        };
      }
      if (kind === 'responses') {
        if (!named) throw new ConflictError('EXPORT_ANONYMOUS', messages.anonymousExport);
        const definition = await deps.questionnaires.byId(round.questionnaire.id);
        return {
          fileName: safeFileName([...nameParts, kind], 'csv'),
          type: 'text/csv; charset=utf-8',
          body: responsesCsv(definition, await namedRows(round)),
        };
      }
      const [report, definition, responses] = await Promise.all([
        summarizedOf(actor, entry),
        deps.questionnaires.byId(round.questionnaire.id),
        named ? namedRows(round) : null,
      ]);
      return {
        fileName: safeFileName(nameParts, 'json'),
        type: 'application/json; charset=utf-8',
        body: JSON.stringify(toExportDto(report, definition, responses)),
      };
    },

    /** What a printed page's running header names: the team, the round and its day. */
    async heading(actor: Actor, roundId: string) {
      const { round, team } = await entryOf(actor, roundId);
      return { team: team.name, round: round.title, day: round.closedAt ?? round.openedAt };
    },

    /** The report of a round of the actor's workspace (any member may read reports). */
    roundReport: async (actor: Actor, roundId: string) =>
      summarizedOf(actor, await entryOf(actor, roundId)),

    /**
     * The report as the room of a live session sees it on its shared screen: the team's view
     * (no respondent's name, k at least the anonymous minimum), with the owners of the actions
     * the room agreed, which it named itself.
     */
    roomReport: async (actor: Actor, roundId: string) =>
      summarizedOf(actor, await entryOf(actor, roundId), 'room'),

    /**
     * The team's view of a round (the team results link): its summarized report built as an
     * anonymous round's, whatever the round's own anonymity, with k at least the anonymous
     * minimum. So no comment carries a name, no figure of fewer than k answers is shown (the
     * previous round's, which the summary compares with, included), and no action names its
     * owner or carries the coach's notes. Pages render only this: they cannot show more.
     */
    teamView: async (actor: Actor, roundId: string) =>
      summarizedOf(actor, await entryOf(actor, roundId), 'team'),
  };
}

export type ReportService = ReturnType<typeof createReportService>;
