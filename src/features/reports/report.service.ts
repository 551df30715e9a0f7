import { createHash } from 'node:crypto';
import {
  type DCF_CLASSES,
  PRACTICE_RATING_POINTS,
  TENSION_SCALE_POINTS,
  type Item,
  type QuestionnaireDefinition,
} from '../questionnaires';
import type { ResponseStats, ResponseText, RoundCounts } from '../responses';
import type { Round, RoundService } from '../rounds';
import type { Actor } from '../workspaces';
import { ValidationError } from '../../shared/errors';
import { safeFileName } from './csv';
import { itemsCsv, responsesCsv, toReportDto } from './report.dto';
import type { DimensionReport, ItemReport, RoundReport } from './report.types';
import {
  aspectShares,
  describeScale,
  dimensionScore,
  leanOf,
  score100,
  type Histogram,
} from './statistics';

export type ReportServiceDeps = Readonly<{
  rounds: Pick<RoundService, 'get' | 'list' | 'effectiveStatus'>;
  teams: { get: (actor: Actor, teamId: string) => Promise<{ id: string; name: string }> };
  questionnaires: { byId: (id: string) => Promise<QuestionnaireDefinition> };
  responses: ResponseStats;
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

const titleOf = (item: Item) => (item.kind === 'maturity' ? item.statement : item.prompt);

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
  async function buildAll(
    entries: readonly { round: Round; teamName: string }[],
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
      deps.responses.texts(rounds.filter((r) => kindsOf(r).has('practice')).map((r) => r.id)),
    ]);
    return entries.map(({ round, teamName }) =>
      assemble(
        round,
        teamName,
        definitions.get(round.questionnaire.id)!,
        counts.get(round.id)!,
        texts.get(round.id) ?? [],
      ),
    );
  }

  function assemble(
    round: Round,
    teamName: string,
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

    let number = 0;
    const items: ItemReport[] = definition.sections
      .flatMap((s) => s.items)
      .map((item) => {
        number += 1;
        const points = pointsOf(item);
        const base = {
          itemId: item.id,
          kind: item.kind,
          number,
          dimension: item.dimension,
          title: titleOf(item),
          points,
        };
        switch (item.kind) {
          case 'tension': {
            const current = describeScale(histogramFor(item.id, points, 'value'));
            const desired = item.askDesired
              ? describeScale(histogramFor(item.id, points, 'desired'))
              : null;
            const suppressed = below(current.n);
            const desiredShown = desired && !below(desired.n) && !suppressed ? desired : null;
            return {
              ...base,
              suppressed,
              n: current.n,
              figures: suppressed ? null : current,
              tension: {
                left: item.left,
                right: item.right,
                lean: suppressed ? null : leanOf(current.mean),
                desired: desiredShown,
                gap:
                  desiredShown && desiredShown.mean !== null && current.mean !== null && !suppressed
                    ? desiredShown.mean - current.mean
                    : null,
              },
            };
          }
          case 'maturity': {
            const figures = describeScale(histogramFor(item.id, points, 'value'));
            const suppressed = below(figures.n);
            return {
              ...base,
              suppressed,
              n: figures.n,
              figures: suppressed ? null : figures,
              maturity: {
                levels: item.levels.map((l) => l.label),
                score100: suppressed ? null : score100(figures.mean, points),
              },
            };
          }
          case 'practice': {
            const ratings = item.rating
              ? describeScale(histogramFor(item.id, points, 'value'))
              : null;
            const comments = roundSuppressed
              ? []
              : shuffled(
                  round.id,
                  texts
                    .filter((t) => t.itemId === item.id)
                    .map((t) => (anonymous ? { text: t.text } : t)),
                );
            const answered = Math.max(ratings?.n ?? 0, comments.length);
            return {
              ...base,
              suppressed: roundSuppressed || (ratings !== null && below(ratings.n)),
              n: roundSuppressed ? 0 : answered,
              figures: ratings && !below(ratings.n) ? ratings : null,
              practice: { ratingQuestion: item.rating?.question ?? null, comments },
            };
          }
          case 'dcf': {
            const answered = respondents(item.id);
            const atRisk = respondents(item.id, true);
            const suppressed = below(answered);
            const votesFor = (aspect: string, cls: (typeof DCF_CLASSES)[number]) =>
              votes.find((c) => c.itemId === item.id && c.aspect === aspect && c.class === cls)
                ?.n ?? 0;
            return {
              ...base,
              suppressed,
              n: answered,
              figures: null,
              dcf: {
                respondents: answered,
                atRiskShare: suppressed || answered === 0 ? null : atRisk / answered,
                aspects: suppressed
                  ? []
                  : item.aspects.map((a) => ({
                      key: a.key,
                      label: a.label,
                      ...aspectShares({
                        driver: votesFor(a.key, 'driver'),
                        constraint: votesFor(a.key, 'constraint'),
                        float: votesFor(a.key, 'float'),
                      }),
                    })),
              },
            };
          }
        }
      });

    const dimensions: DimensionReport[] = definition.dimensions.map((d) => {
      const own = items.filter((i) => i.dimension === d.key);
      const maturity = own.filter((i) => i.kind === 'maturity' && !i.suppressed);
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
      .flatMap((i) =>
        i.figures?.discuss && i.figures.consensus !== null && i.kind !== 'practice'
          ? [{ itemId: i.itemId, number: i.number, title: i.title, consensus: i.figures.consensus }]
          : [],
      )
      .sort((a, b) => a.consensus - b.consensus);

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
      team: { id: round.teamId, name: teamName },
      questionnaire: {
        slug: round.questionnaire.slug,
        version: round.questionnaire.version,
        title: definition.title,
      },
      n,
      suppressed: roundSuppressed,
      dimensions,
      items,
      discuss,
    };
  }

  /**
   * The raw responses for the export, under the same rule: none below k; in anonymous rounds
   * no name and no day, in an order unrelated to time.
   */
  async function responseRows(actor: Actor, roundId: string) {
    const round = await deps.rounds.get(actor, roundId);
    const definition = await deps.questionnaires.byId(round.questionnaire.id);
    const all = await deps.responses.all(round.id);
    const anonymous = round.anonymity === 'anonymous';
    if (anonymous && all.length < round.minGroupSize) return { definition, round, rows: [] };
    const rows = all.map((r) => ({
      key: createHash('sha256').update(`${round.id}\u0000${r.id}`).digest('hex'),
      answers: r.answers,
      ...(anonymous
        ? {}
        : { name: r.respondentName ?? '', role: r.respondentRole ?? '', day: r.day }),
    }));
    rows.sort((a, b) => a.key.localeCompare(b.key));
    return { definition, round, rows };
  }

  /** A round the actor may read, with its team's name. */
  async function entryOf(actor: Actor, roundId: string) {
    const round = await deps.rounds.get(actor, roundId);
    return { round, teamName: (await deps.teams.get(actor, round.teamId)).name };
  }

  async function reportOf(actor: Actor, roundId: string): Promise<RoundReport> {
    return (await buildAll([await entryOf(actor, roundId)]))[0]!;
  }

  return {
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
          [{ path: 'rounds', message: 'Compare rounds of one questionnaire: these use several.' }],
          'The rounds use different questionnaires.',
        );
      }
      return reports;
    },

    /** A team's rounds of one questionnaire, oldest first, with their reports. */
    async trend(actor: Actor, teamId: string, slug?: string) {
      const team = await deps.teams.get(actor, teamId);
      const rounds = (await deps.rounds.list(actor, { teamId })).filter(
        (r) => r.status !== 'draft',
      );
      const counts = new Map<string, number>();
      for (const r of rounds)
        counts.set(r.questionnaire.slug, (counts.get(r.questionnaire.slug) ?? 0) + 1);
      const chosen = slug ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const own = rounds
        .filter((r) => r.questionnaire.slug === chosen)
        .sort(
          (a, b) => (a.openedAt ?? a.createdAt).getTime() - (b.openedAt ?? b.createdAt).getTime(),
        );
      const reports = await buildAll(own.map((round) => ({ round, teamName: team.name })));
      const last = own[own.length - 1];
      const definition = last ? await deps.questionnaires.byId(last.questionnaire.id) : null;
      return {
        team,
        slug: chosen ?? null,
        questionnaires: [...counts.keys()],
        reports,
        definition,
      };
    },

    /** A download of a round: item statistics or raw answers as CSV, or everything as JSON. */
    async download(
      actor: Actor,
      roundId: string,
      kind: 'items' | 'responses' | 'json',
    ): Promise<{ fileName: string; type: string; body: string }> {
      const report = await reportOf(actor, roundId);
      const nameParts = ['teamlens', report.team.name, report.round.title];
      if (kind === 'items') {
        return {
          fileName: safeFileName([...nameParts, kind], 'csv'),
          type: 'text/csv; charset=utf-8',
          body: itemsCsv(report),
        };
      }
      const { definition, rows } = await responseRows(actor, roundId);
      if (kind === 'responses') {
        return {
          fileName: safeFileName([...nameParts, kind], 'csv'),
          type: 'text/csv; charset=utf-8',
          body: responsesCsv(definition, rows, report.round.anonymity === 'named'),
        };
      }
      return {
        fileName: safeFileName(nameParts, 'json'),
        type: 'application/json; charset=utf-8',
        body: JSON.stringify({
          report: toReportDto(report),
          responses: rows.map(({ key: _key, ...row }) => row),
        }),
      };
    },

    /** The report of a round of the actor's workspace (any member may read reports). */
    roundReport: reportOf,
  };
}

export type ReportService = ReturnType<typeof createReportService>;
