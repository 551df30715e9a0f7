import { createHash } from 'node:crypto';
import {
  type DCF_CLASSES,
  PRACTICE_RATING_POINTS,
  TENSION_SCALE_POINTS,
  type Item,
  type QuestionnaireDefinition,
} from '../questionnaires';
import type { ResponseStats, ResponseText, RoundCounts } from '../responses';
import { participationOf, type Round, type RoundService } from '../rounds';
import { briefOf, type DescribedAction } from '../actions';
import type { Actor } from '../workspaces';
import { ConflictError, ValidationError } from '../../shared/errors';
import { safeFileName } from '../../shared/csv';
import { itemsCsv, responsesCsv, titleOf, toReportDto } from './report.dto';
import type {
  PickerTeam,
  DimensionReport,
  DiscussEntry,
  ItemReport,
  MaturityItemReport,
  RoundReport,
  SummarizedReport,
} from './report.types';
import {
  aspectShares,
  describeScale,
  dimensionScore,
  dcfDiscussionOf,
  discussionOf,
  leanOf,
  score100,
  type Histogram,
} from './statistics';
import { summarize } from './summary';
import { followUpOf } from './follow-up';
import { discussContextOf, figuresOf } from './round-report';

const messages = {
  anonymousExport:
    'This round is anonymous: its answers are exported only as item statistics, never as one row per person, which would put each person’s answers back together.',
  mixedQuestionnaires: 'Compare rounds of one questionnaire: these use several.',
};

export type ReportServiceDeps = Readonly<{
  rounds: Pick<RoundService, 'get' | 'list' | 'effectiveStatus'>;
  teams: {
    get: (
      actor: Actor,
      teamId: string,
    ) => Promise<{ id: string; name: string; expectedSize: number | null }>;
    /** The workspace's active teams (the comparison's picker). */
    list: (actor: Actor) => Promise<readonly { id: string; name: string }[]>;
  };
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
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

function pointsOf(item: Item): number {
  switch (item.kind) {
    case 'tension':
      return TENSION_SCALE_POINTS;
    case 'maturity':
      return item.levels.length;
    case 'practice':
      return PRACTICE_RATING_POINTS;
    case 'dcf':
      return 0;
  }
}

/** A digest of an item's whole definition (see ItemReport.fingerprint). */
function fingerprintOf(item: Item): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('base64url').slice(0, 16);
}

function emptyHistogram(points: number): number[] {
  return Array.from({ length: points }, () => 0);
}

/**
 * An order for free texts that does not follow submission time (DESIGN.md): by a hash of the
 * text and the round, so it is stable between views and unrelated to who answered when.
 */
function shuffled<T extends { text: string }>(roundId: string, texts: readonly T[]): T[] {
  const key = (t: T) => createHash('sha256').update(`${roundId}\u0000${t.text}`).digest('hex');
  return [...texts]
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => a.k.localeCompare(b.k))
    .map((x) => x.t);
}

/** A round to report on, with what its report needs of its team. */
type Entry = Readonly<{ round: Round; teamName: string; expected: number | null }>;

/**
 * Round reports: statistics from database counts, and the anonymity rule applied here, once,
 * before any page, API answer or export sees the data. In an anonymous round no figure of a
 * group smaller than k is shown: the whole report when fewer than k responded, an item when
 * fewer than k answered it; comments only when the round has at least k responses.
 */
export function createReportService(deps: ReportServiceDeps) {
  /**
   * The reports of several rounds (one for a round report, many for a comparison or a trend).
   * Counts come from the rounds' tallies, so a report costs the same whatever the number of
   * responses, open round or closed; comments are read for all rounds in one query.
   */
  async function buildAll(entries: readonly Entry[]): Promise<RoundReport[]> {
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
    return entries.map(({ round, teamName, expected }) =>
      assemble(
        round,
        { name: teamName, expected },
        definitions.get(round.questionnaire.id)!,
        counts.get(round.id)!,
        texts.get(round.id) ?? [],
      ),
    );
  }

  function assemble(
    round: Round,
    team: { name: string; expected: number | null },
    definition: QuestionnaireDefinition,
    { n, answers, votes }: RoundCounts,
    texts: readonly ResponseText[],
  ): RoundReport {
    const anonymous = round.anonymity === 'anonymous';
    const k = anonymous ? round.minGroupSize : 1;
    const roundSuppressed = n < k;
    const below = (count: number) => roundSuppressed || count < k;

    const histogramFor = (
      itemId: string,
      points: number,
      field: 'value' | 'desired',
    ): Histogram => {
      const h = emptyHistogram(points);
      for (const row of answers) {
        const v = row[field];
        if (row.itemId === itemId && v !== null && v >= 1 && v <= points) h[v - 1]! += row.n;
      }
      return h;
    };
    const respondents = (itemId: string, atRisk?: boolean) =>
      answers
        .filter(
          (r) =>
            r.itemId === itemId &&
            r.atRisk !== null &&
            (atRisk === undefined || r.atRisk === atRisk),
        )
        .reduce((sum, r) => sum + r.n, 0);

    /** An item's free texts, shuffled; without names in anonymous rounds. */
    const commentsOn = (itemId: string) =>
      shuffled(
        round.id,
        texts
          .filter((t) => t.itemId === itemId)
          .map((t) => ({ text: t.text, ...(anonymous || !t.name ? {} : { name: t.name }) })),
      );

    /** "Can't say" answers of a scale item: counted with no value. */
    const cantSayOf = (itemId: string) =>
      answers
        .filter((r) => r.itemId === itemId && r.value === null)
        .reduce((sum, r) => sum + r.n, 0);

    const answeredBy = (itemId: string) =>
      answers.filter((r) => r.itemId === itemId).reduce((sum, r) => sum + r.n, 0);
    const noDiscussion = discussionOf({ consensus: null, gap: null, points: 0 });

    let number = 0;
    const items: ItemReport[] = definition.sections
      .flatMap((s) => s.items)
      .map((item) => {
        number += 1;
        const points = pointsOf(item);
        const common = {
          itemId: item.id,
          number,
          dimension: item.dimension,
          title: titleOf(item),
          fingerprint: fingerprintOf(item),
        };
        const base = { ...common, points };
        switch (item.kind) {
          case 'tension': {
            const h = histogramFor(item.id, points, 'value');
            const current = describeScale(h);
            const desired = item.askDesired
              ? describeScale(histogramFor(item.id, points, 'desired'))
              : null;
            const suppressed = below(current.n);
            const desiredShown = desired && !below(desired.n) && !suppressed ? desired : null;
            const gap =
              desiredShown && desiredShown.mean !== null && current.mean !== null
                ? desiredShown.mean - current.mean
                : null;
            return {
              ...base,
              suppressed,
              n: suppressed ? 0 : current.n,
              figures: suppressed ? null : current,
              cantSay: suppressed ? null : cantSayOf(item.id),
              discussion: suppressed
                ? noDiscussion
                : discussionOf({ consensus: current.consensus, gap, points }),
              kind: 'tension',
              left: item.left,
              right: item.right,
              lean: suppressed ? null : leanOf(h),
              desired: desiredShown,
              gap,
              // The "why?" of each answer, only where the item's answers reach k.
              comments: suppressed ? [] : commentsOn(item.id),
            };
          }
          case 'maturity': {
            const figures = describeScale(histogramFor(item.id, points, 'value'));
            const suppressed = below(figures.n);
            return {
              ...base,
              suppressed,
              n: suppressed ? 0 : figures.n,
              figures: suppressed ? null : figures,
              cantSay: suppressed ? null : cantSayOf(item.id),
              discussion: suppressed
                ? noDiscussion
                : discussionOf({ consensus: figures.consensus, gap: null, points }),
              kind: 'maturity',
              levels: item.levels.map((l) => l.label),
              score100: suppressed ? null : score100(figures.mean, points),
            };
          }
          case 'practice': {
            // DESIGN.md: n and the figures are the ratings'; `answered` counts everyone who
            // rated, wrote or both; each is shown only from k on; comments from k responses on.
            const ratings = item.rating
              ? describeScale(histogramFor(item.id, points, 'value'))
              : null;
            const ratingsShown = ratings && !below(ratings.n) ? ratings : null;
            const answered = answeredBy(item.id);
            const comments = roundSuppressed ? [] : commentsOn(item.id);
            return {
              ...base,
              suppressed: roundSuppressed || (ratings !== null && ratingsShown === null),
              n: ratingsShown?.n ?? 0,
              figures: ratingsShown,
              discussion: ratingsShown
                ? discussionOf({ consensus: ratingsShown.consensus, gap: null, points })
                : noDiscussion,
              kind: 'practice',
              ratingQuestion: item.rating?.question ?? null,
              answered: below(answered) ? null : answered,
              comments,
            };
          }
          case 'dcf': {
            const answered = respondents(item.id);
            const atRisk = respondents(item.id, true);
            const suppressed = below(answered);
            const votesFor = (aspect: string, cls: (typeof DCF_CLASSES)[number]) =>
              votes.find((c) => c.itemId === item.id && c.aspect === aspect && c.class === cls)
                ?.n ?? 0;
            const aspects = suppressed
              ? []
              : item.aspects.map((a) => ({
                  key: a.key,
                  label: a.label,
                  ...aspectShares({
                    driver: votesFor(a.key, 'driver'),
                    constraint: votesFor(a.key, 'constraint'),
                    float: votesFor(a.key, 'float'),
                  }),
                }));
            return {
              ...common,
              kind: 'dcf',
              suppressed,
              n: suppressed ? 0 : answered,
              discussion: dcfDiscussionOf(aspects),
              atRiskShare: suppressed || answered === 0 ? null : atRisk / answered,
              aspects,
            };
          }
        }
      });

    const dimensions: DimensionReport[] = definition.dimensions.map((d) => {
      const own = items.filter((i) => i.dimension === d.key);
      const maturity = own.filter(
        (i): i is MaturityItemReport => i.kind === 'maturity' && !i.suppressed,
      );
      const { score, score100: s100 } = dimensionScore(
        maturity.map((i) => ({ mean: i.figures?.mean ?? null, points: i.points })),
      );
      return {
        key: d.key,
        label: d.label,
        description: d.description,
        suppressed: own.length > 0 && own.every((i) => i.suppressed),
        score,
        score100: s100,
        itemIds: own.map((i) => i.itemId),
      };
    });

    const discuss = items
      .flatMap((i): DiscussEntry[] =>
        i.discussion.priority !== null
          ? [
              {
                itemId: i.itemId,
                number: i.number,
                kind: i.kind,
                title: i.title,
                priority: i.discussion.priority,
                reasons: i.discussion.reasons,
                consensus: figuresOf(i)?.consensus ?? null,
                ...discussContextOf(i),
              },
            ]
          : [],
      )
      // Array.prototype.sort is stable: equal priorities keep the questionnaire's order.
      .sort((a, b) => b.priority - a.priority);

    return {
      round: {
        id: round.id,
        title: round.title,
        status: deps.rounds.effectiveStatus(round),
        anonymity: round.anonymity,
        minGroupSize: round.minGroupSize,
        openedAt: round.openedAt,
        closedAt: round.closedAt,
        closesAt: round.closesAt,
      },
      team: { id: round.teamId, name: team.name },
      questionnaire: {
        slug: round.questionnaire.slug,
        version: round.questionnaire.version,
        title: definition.title,
      },
      n,
      participation: participationOf({ ...round, n, expected: team.expected }),
      suppressed: roundSuppressed,
      dimensions,
      items,
      discuss,
    };
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

  /** A round the actor may read, with its team's name and expected size. */
  async function entryOf(actor: Actor, roundId: string): Promise<Entry> {
    const round = await deps.rounds.get(actor, roundId);
    const team = await deps.teams.get(actor, round.teamId);
    return { round, teamName: team.name, expected: team.expectedSize };
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
  async function summarizedOf(actor: Actor, entry: Entry): Promise<SummarizedReport> {
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
    const built = await buildAll(earlier ? [entry, { ...entry, round: earlier }] : [entry]);
    const report = built[0]!;
    const previous = built[1] ?? null;
    const today = deps.actions.today();
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
        previous,
        openThen.map((a) => briefOf(a, today)),
      ),
      actions: since.map((a) => followUpOf(a, previous, report, today)),
      agreedActions: actions
        .filter((a) => a.sourceRound.id === round.id)
        .map((a) => briefOf(a, today)),
    };
  }

  return {
    /** The comparison's picker: each active team with its rounds that have begun. */
    async pickerTeams(actor: Actor): Promise<PickerTeam[]> {
      const [teams, rounds] = await Promise.all([deps.teams.list(actor), deps.rounds.list(actor)]);
      return teams.map((t) => ({
        id: t.id,
        name: t.name,
        rounds: rounds
          .filter((r) => r.teamId === t.id && r.status !== 'draft')
          .map((r) => ({
            id: r.id,
            title: r.title,
            slug: r.questionnaire.slug,
            questionnaireTitle: r.questionnaire.title,
            openedAt: r.openedAt,
          })),
      }));
    },

    /**
     * Several teams' rounds side by side. They must use the same questionnaire (any versions:
     * dimensions and items are matched by key and id).
     */
    async compare(actor: Actor, roundIds: readonly string[]) {
      const entries = await Promise.all([...new Set(roundIds)].map((id) => entryOf(actor, id)));
      const reports = await buildAll(entries);
      const slugs = new Set(reports.map((r) => r.questionnaire.slug));
      if (slugs.size > 1) {
        throw new ValidationError(
          [{ path: 'rounds', message: messages.mixedQuestionnaires }],
          'The rounds use different questionnaires.',
        );
      }
      return reports;
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
      const own = chosen ? ofQuestionnaire(begun, chosen) : [];
      const reports = await buildAll(
        own.map((round) => ({ round, teamName: team.name, expected: team.expectedSize })),
      );
      const questionnaires = [...bySlug.entries()].map(([s, { title }]) => ({ slug: s, title }));
      // The time line: what the team agreed after each of these rounds.
      const today = deps.actions.today();
      const actions = allActions
        .filter((a) => own.some((r) => r.id === a.sourceRound.id))
        .map((a) => briefOf(a, today));
      return { team, slug: chosen ?? null, questionnaires, reports, actions };
    },

    /** A download of a round: item statistics or raw answers as CSV, or everything as JSON. */
    async download(
      actor: Actor,
      roundId: string,
      kind: 'items' | 'responses' | 'json',
    ): Promise<{ fileName: string; type: string; body: string }> {
      const entry = await entryOf(actor, roundId);
      const { round } = entry;
      const nameParts = ['teamlens', entry.teamName, round.title];
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
      const [report, responses] = await Promise.all([
        summarizedOf(actor, entry),
        named ? namedRows(round) : null,
      ]);
      return {
        fileName: safeFileName(nameParts, 'json'),
        type: 'application/json; charset=utf-8',
        body: JSON.stringify({
          report: toReportDto(report),
          ...(responses ? { responses } : {}),
        }),
      };
    },

    /** What a printed page's running header names: the team, the round and its day. */
    async heading(actor: Actor, roundId: string) {
      const { round, teamName } = await entryOf(actor, roundId);
      return { team: teamName, round: round.title, day: round.closedAt ?? round.openedAt };
    },

    /** The report of a round of the actor's workspace (any member may read reports). */
    roundReport: async (actor: Actor, roundId: string) =>
      summarizedOf(actor, await entryOf(actor, roundId)),
  };
}

export type ReportService = ReturnType<typeof createReportService>;
