import type { DiscussEntry, ItemReport, PickerTeam, SummarizedReport } from './report.types';
import { discussContextOf, figuresOf, unknownKind } from './round-report';
import { participationText } from '../rounds';
import type { Lean } from './statistics';
import type { Move, ReportSummary } from './report.types';
import { fmt, pct, signed } from './format';
import { newActionUrl, toActionRow } from '../actions';
import { followUpView } from './follow-up.view-model';

/**
 * What the report templates need, geometry of the inline SVG charts included: templates only
 * place precomputed numbers. Charts use shapes, text labels and a dark fill, so they stay
 * legible printed in grayscale; their text is never smaller than 10 px on a 360 px phone
 * (each viewBox is at most 340 units wide where its text is 11 units or more).
 */

/**
 * The axis of one tension, 1..7: today's mean as a filled circle above the line, where the
 * team wants to be as an open diamond below it, so the two never cover each other, and an
 * arrow between them when they differ.
 */
const AXIS = { width: 320, left: 16, right: 304, y: 30 } as const;
const axisX = (value: number) => AXIS.left + ((value - 1) / 6) * (AXIS.right - AXIS.left);

/**
 * A histogram is drawn on the axis's geometry: the same width, and the bar of answer v
 * centred where the axis has v, so that under a tension's axis each bar stands beneath its
 * tick when both are shown at the same width (a 5-point scale spreads over the same span).
 */
const CHART = { width: AXIS.width, height: 110, top: 18, bottom: 22 } as const;
/** On paper the bars are lower (same widths and places): three items then fit on a page. */
const PRINTED_HEIGHT = 64;

export function histogramChart(
  histogram: readonly number[],
  labels: readonly string[],
  options: { print?: boolean } = {},
) {
  const height = options.print ? PRINTED_HEIGHT : CHART.height;
  const max = Math.max(1, ...histogram);
  const span = AXIS.right - AXIS.left;
  const step = span / Math.max(1, histogram.length - 1);
  // Bars stay inside the chart: the outer ones are centred AXIS.left from its edges.
  const barWidth = Math.max(4, Math.min(step * 0.6, 2 * AXIS.left));
  const baseline = height - CHART.bottom;
  const plot = baseline - CHART.top;
  return {
    width: CHART.width,
    height,
    baseline,
    bars: histogram.map((count, i) => {
      const bar = (count / max) * plot;
      const x = AXIS.left + i * step - barWidth / 2;
      return {
        x: x.toFixed(1),
        y: (baseline - bar).toFixed(1),
        width: barWidth.toFixed(1),
        height: bar.toFixed(1),
        count,
        countY: (baseline - bar - 4).toFixed(1),
        center: (x + barWidth / 2).toFixed(1),
        label: labels[i] ?? String(i + 1),
      };
    }),
    labelY: height - 6,
    summary: histogram.map((count, i) => `${labels[i] ?? i + 1}: ${count}`).join(', '),
  };
}

/** An open diamond's points, centred on (x, y), `r` from the centre to each corner. */
export function diamondPoints(x: number, y: number, r: number): string {
  return [
    [x, y - r],
    [x + r, y],
    [x, y + r],
    [x - r, y],
  ]
    .map(([px, py]) => `${px!.toFixed(1)},${py!.toFixed(1)}`)
    .join(' ');
}

/**
 * A horizontal arrow from x `from` to x `to` at height y, its head ending just short of `to`
 * so that it does not run into the marker there; null when too short to see.
 */
export function arrowBetween(from: number, to: number, y: number, minLength = 8) {
  if (Math.abs(to - from) <= minLength) return null;
  const direction = Math.sign(to - from);
  const base = to - direction * 7;
  const tip = to - direction;
  return {
    x1: from.toFixed(1),
    x2: base.toFixed(1),
    head: `${base.toFixed(1)},${y - 4} ${tip.toFixed(1)},${y} ${base.toFixed(1)},${y + 4}`,
  };
}

export function tensionAxis(
  mean: number | null,
  desiredMean: number | null,
  options: { compact?: boolean } = {},
) {
  const today = mean === null ? null : axisX(mean);
  const want = desiredMean === null ? null : axisX(desiredMean);
  return {
    width: AXIS.width,
    // Compact (the summary's rows): ticks without numbers, the scale is read from the legend.
    height: options.compact ? 50 : 56,
    compact: options.compact ?? false,
    y: AXIS.y,
    left: AXIS.left,
    right: AXIS.right,
    ticks: [1, 2, 3, 4, 5, 6, 7].map((v) => ({ x: axisX(v).toFixed(1), label: String(v) })),
    mean: today === null ? null : { x: today.toFixed(1), y: AXIS.y - 11 },
    desired: want === null ? null : { points: diamondPoints(want, AXIS.y + 12, 6) },
    // The arrow runs along the line from today to the wish.
    arrow: today !== null && want !== null ? arrowBetween(today, want, AXIS.y) : null,
    summary: [
      mean === null ? null : `today ${fmt(mean)}`,
      desiredMean === null ? null : `where the team wants to be ${fmt(desiredMean)}`,
    ]
      .filter(Boolean)
      .join(', '),
  };
}

export function scoreBar(score100: number | null) {
  return score100 === null
    ? null
    : {
        width: (Math.max(0, Math.min(100, score100)) * 2.8).toFixed(1),
        label: `${Math.round(score100)} / 100`,
      };
}

/** What the lean says in words: a split team is never called balanced (DESIGN.md). */
export function leanText(lean: Lean | null, left: string, right: string): string | null {
  switch (lean) {
    case 'left':
      return `The team leans to “${left}”.`;
    case 'right':
      return `The team leans to “${right}”.`;
    case 'balanced':
      return 'The team holds a balance between the two.';
    case 'split':
      return `The team is split: some pull towards “${left}”, others towards “${right}”. Ask what each side sees.`;
    case null:
      return null;
  }
}

/** Why an item is on the discuss list, in the words a workshop uses. */
export function discussReasonText(
  entry: Pick<
    DiscussEntry,
    'reasons' | 'consensus' | 'disputed' | 'gap' | 'lean' | 'left' | 'right'
  >,
): string {
  return entry.reasons
    .map((reason) => {
      if (reason === 'gap' && entry.gap !== null) {
        const pole = entry.gap > 0 ? entry.right : entry.left;
        return `wants to move ${signed(entry.gap, 1)} towards “${pole ?? ''}”`;
      }
      // A dcf item has no consensus: its disagreement is on named aspects.
      if (entry.consensus === null) return `respondents disagree on ${entry.disputed.join(', ')}`;
      return entry.lean === 'split'
        ? `split (consensus ${fmt(entry.consensus)})`
        : `little agreement (consensus ${fmt(entry.consensus)})`;
    })
    .join('; ');
}

function itemView(item: ItemReport, print: boolean) {
  const f = figuresOf(item);
  const cantSay = item.kind === 'tension' || item.kind === 'maturity' ? item.cantSay : null;
  const stats = f
    ? [
        { label: item.kind === 'practice' ? 'Ratings' : 'Answers', value: String(f.n) },
        { label: 'Mean', value: fmt(f.mean) },
        { label: 'Median', value: fmt(f.median, 1) },
        { label: 'SD', value: fmt(f.sd) },
        { label: 'Consensus', value: fmt(f.consensus) },
        // Counted apart: not an answer on the scale, so in no figure beside it.
        ...(cantSay ? [{ label: 'Can’t say', value: String(cantSay) }] : []),
      ]
    : [];
  const base = {
    id: item.itemId,
    number: item.number,
    title: item.title,
    suppressed: item.suppressed,
    discuss: item.discussion.discuss,
    discussText: item.discussion.discuss
      ? discussReasonText({
          reasons: item.discussion.reasons,
          consensus: f?.consensus ?? null,
          ...discussContextOf(item),
        })
      : null,
    stats,
  };
  switch (item.kind) {
    case 'tension': {
      const poles =
        item.lean === 'left'
          ? [item.left]
          : item.lean === 'right'
            ? [item.right]
            : item.lean
              ? [item.left, item.right]
              : [];
      return {
        ...base,
        isTension: true,
        leftLabel: item.left.label,
        rightLabel: item.right.label,
        // On paper the histogram under the axis carries the scale's numbers: printed once.
        axis: tensionAxis(f?.mean ?? null, item.desired?.mean ?? null, { compact: print }),
        legend: {
          today: f ? fmt(f.mean) : null,
          desired: item.desired ? fmt(item.desired.mean) : null,
          showDesired: item.desired !== null,
        },
        chart: f
          ? histogramChart(f.histogram, ['1', '2', '3', '4', '5', '6', '7'], { print })
          : null,
        leanText: leanText(item.lean, item.left.label, item.right.label),
        poles,
        desiredText:
          item.desired && item.desired.mean !== null && item.gap !== null
            ? `Where the team wants to be: ${fmt(item.desired.mean)} (gap ${signed(item.gap)}${item.gap > 0 ? `, towards “${item.right.label}”` : item.gap < 0 ? `, towards “${item.left.label}”` : ''}).`
            : null,
        comments: item.comments,
      };
    }
    case 'maturity':
      return {
        ...base,
        isMaturity: true,
        chart: f
          ? histogramChart(
              f.histogram,
              item.levels.map((_l, i) => String(i + 1)),
              { print },
            )
          : null,
        levels: item.levels.map((label, i) => ({ value: i + 1, label })),
        score: scoreBar(item.score100),
      };
    case 'practice':
      return {
        ...base,
        isPractice: true,
        ratingQuestion: item.ratingQuestion,
        ratingsHidden: item.ratingQuestion !== null && !f && !item.suppressed,
        answered: item.answered,
        chart: f ? histogramChart(f.histogram, ['1', '2', '3', '4', '5'], { print }) : null,
        comments: item.comments,
      };
    case 'dcf':
      return {
        ...base,
        isDcf: true,
        atRisk: pct(item.atRiskShare),
        respondents: item.n,
        aspects: item.aspects.map((a) => ({
          label: a.label,
          driver: pct(a.driver),
          constraint: pct(a.constraint),
          float: pct(a.float),
          disputed: a.disputed,
        })),
      };
    default:
      return unknownKind(item);
  }
}

/** Horizontal bars on 0..max, one per row, with the value printed at the bar's end. */
const BARS = { width: 300, row: 26, bar: 16, labelRoom: 36 } as const;
export function barRows(
  rows: readonly { label: string; value: number; text: string }[],
  max: number,
) {
  const span = BARS.width - BARS.labelRoom;
  return {
    width: BARS.width,
    height: rows.length * BARS.row,
    rows: rows.map((r, i) => {
      const width = Math.max(2, (Math.max(0, Math.min(max, r.value)) / max) * span);
      return {
        label: r.label,
        text: r.text,
        y: i * BARS.row + (BARS.row - BARS.bar) / 2,
        barHeight: BARS.bar,
        width: width.toFixed(1),
        textX: (width + 6).toFixed(1),
        textY: i * BARS.row + BARS.row / 2 + 4,
      };
    }),
  };
}

function moveView(m: Move) {
  const digits = 2;
  const towards =
    m.kind === 'tension' && m.change !== 0 ? ` towards “${m.change > 0 ? m.right : m.left}”` : '';
  return {
    itemId: m.itemId,
    number: m.number,
    title: m.title,
    text: `${fmt(m.before, digits)} → ${fmt(m.after, digits)} (${signed(m.change, digits)}${towards})`,
    up: m.change > 0,
  };
}

/**
 * What an empty discuss list means, naming only the rules that had something to judge, so
 * that it never contradicts the blocks above it (a disputed dcf aspect is on the list).
 */
export function calmText(s: Pick<ReportSummary, 'tensions' | 'ratings' | 'dimensions' | 'dcf'>) {
  const scales = s.tensions.length + s.ratings.length + s.dimensions.length > 0;
  const clauses = [
    scales ? 'consensus is 0.6 or more everywhere' : null,
    s.tensions.some((t) => t.desiredMean !== null) ? 'no tension has a gap of 1 or more' : null,
    s.dcf.length > 0 ? 'respondents agree on every aspect' : null,
  ].filter((c): c is string => c !== null);
  if (clauses.length === 0) return 'No item stands out.';
  const last = clauses.pop()!;
  return `No item stands out: ${clauses.length ? `${clauses.join(', ')} and ${last}` : last}.`;
}

function summaryView(s: ReportSummary, version: number, links: Links) {
  const discuss = (entries: readonly DiscussEntry[]) =>
    entries.map((d) => ({
      itemId: d.itemId,
      number: d.number,
      title: d.title,
      why: discussReasonText(d),
    }));
  return {
    dimensionChart: s.dimensions.length
      ? barRows(
          s.dimensions.map((d) => ({
            label: d.label,
            value: d.score100,
            text: String(Math.round(d.score100)),
          })),
          100,
        )
      : null,
    anyDesired: s.tensions.some((t) => t.desiredMean !== null),
    tensions: s.tensions.map((t) => ({
      ...t,
      axis: tensionAxis(t.mean, t.desiredMean, { compact: true }),
      leanWord: t.lean === 'split' ? 'split' : t.lean === 'balanced' ? 'balanced' : null,
      meanText: fmt(t.mean),
    })),
    ratingChart: s.ratings.length
      ? barRows(
          s.ratings.map((r) => ({
            label: `${r.number}. ${r.title}`,
            value: r.mean,
            text: fmt(r.mean, 1),
          })),
          5,
        )
      : null,
    dcf: s.dcf.map((d) => ({
      title: d.title,
      atRisk: pct(d.atRiskShare),
      respondents: d.respondents,
      disputed: d.disputed.join(', '),
    })),
    discuss: discuss(s.discuss),
    calmText: calmText(s),
    moreToDiscuss: s.moreToDiscuss,
    previous: s.previous
      ? {
          ...s.previous,
          url: links.to(reportUrl(s.previous.roundId)),
        }
      : null,
    changes: s.changes.map(moveView),
    /** This round's questionnaire version, which the items not compared changed in (or before). */
    version,
    notComparableItems: s.notComparableItems,
    openActions: s.openActions.map((a) => links.row(toActionRow(a))),
    overdueActions: s.openActions.filter((a) => a.overdue).length,
  };
}

export function reportUrl(roundId: string): string {
  return `/reports/rounds/${encodeURIComponent(roundId)}`;
}

/**
 * The links of a report to the application's pages (actions, other reports): a coach follows
 * them; the team's view (the results link) has none, as its reader has no account.
 */
type Links = ReturnType<typeof linksFor>;
function linksFor(audience: 'coach' | 'team') {
  const to = (url: string) => (audience === 'coach' ? url : null);
  return {
    to,
    row: <R extends ReturnType<typeof toActionRow>>(row: R) => ({
      ...row,
      url: to(row.url),
      sourceRound: { ...row.sourceRound, reportUrl: to(row.sourceRound.reportUrl) },
    }),
  };
}

/**
 * A round report's page: for a coach (`audience: 'coach'`, the default) with its controls, or
 * as the team's view of it (`'team'`: from reports' `teamView`), without a control or a link
 * into the application.
 */
export function toReportView(
  report: SummarizedReport,
  options: { print: boolean; canAgree: boolean; audience?: 'coach' | 'team' },
) {
  const team = options.audience === 'team';
  const links = linksFor(options.audience ?? 'coach');
  const agreed = report.agreedActions.map((a) => links.row(toActionRow(a)));
  const followUps = report.actions.map((f) =>
    links.row(followUpView(f, { itemsShown: !report.suppressed })),
  );
  const canAgree = options.canAgree && !options.print && !team;
  const items = new Map(
    report.items.map((i) => [
      i.itemId,
      {
        ...itemView(i, options.print),
        agreed: agreed.filter((a) => a.itemId === i.itemId),
        followedUp: followUps.filter((f) => f.itemId === i.itemId && f.anchor),
        agreeUrl: canAgree
          ? newActionUrl(report.team.id, { roundId: report.round.id, itemId: i.itemId })
          : null,
      },
    ]),
  );
  const exportBase = reportUrl(report.round.id);
  const named = report.round.anonymity === 'named';
  return {
    title: `${report.team.name}: ${report.round.title}`,
    print: options.print,
    /** Breadcrumbs, print view, PDF and exports: a coach's, on screen. */
    controls: !options.print && !team,
    layout: options.print ? 'print' : undefined,
    report,
    /** "6 of 9 answered (67%)", or "6 answered" when the team's size is unknown. */
    answeredText: participationText(report.participation),
    anonymityText: team
      ? `No names; no figure is shown for fewer than ${report.round.minGroupSize} answers`
      : named
        ? 'Named'
        : `Anonymous; no figure is shown for fewer than ${report.round.minGroupSize} answers`,
    suppressedText: `Fewer than ${report.round.minGroupSize} people have answered this ${team ? '' : 'anonymous '}round. To protect their anonymity, no figure and no comment is shown until at least ${report.round.minGroupSize} have answered.`,
    printUrl: `${reportUrl(report.round.id)}/print`,
    /** The running header of printed pages (team, round, date): a style sheet of its own. */
    printHeaderUrl: `${reportUrl(report.round.id)}/print-header.css`,
    pdfUrls: {
      a4: `${reportUrl(report.round.id)}/report.pdf?paper=a4`,
      letter: `${reportUrl(report.round.id)}/report.pdf?paper=letter`,
    },
    roundUrl: `/rounds/${encodeURIComponent(report.round.id)}`,
    exportLinks: {
      itemsCsv: `${exportBase}/export.csv?part=items`,
      responsesCsv: named ? `${exportBase}/export.csv?part=responses` : null,
      json: `${exportBase}/export.json`,
    },
    summary: summaryView(report.summary, report.questionnaire.version, links),
    followUps,
    previousTitle: report.summary.previous?.title ?? null,
    agreed,
    newActionUrl: canAgree ? newActionUrl(report.team.id, { roundId: report.round.id }) : null,
    laterDiscuss: report.discuss.slice(report.summary.discuss.length).map((d) => ({
      itemId: d.itemId,
      number: d.number,
      title: d.title,
      why: discussReasonText(d),
    })),
    dimensions: report.dimensions
      .filter((d) => d.itemIds.length > 0)
      .map((d) => ({
        key: d.key,
        label: d.label,
        description: d.description,
        suppressed: d.suppressed,
        score: d.score === null ? null : fmt(d.score),
        scoreBar: scoreBar(d.score100),
        items: d.itemIds.map((id) => items.get(id)),
      })),
  };
}

/** Escapes text for a CSS string: every character but letters, digits and spaces as \HEX. */
export function cssString(text: string): string {
  const body = [...text]
    .map((ch) => (/^[A-Za-z0-9 ]$/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `))
    .join('');
  return `"${body}"`;
}

/**
 * The running header and page numbers of a printed report, as CSS page-margin boxes: a style
 * sheet (not inline, which the Content-Security-Policy forbids) that the print view links and
 * the PDF renderer adds, so paper and PDF carry the same header.
 */
export function printHeaderCss(heading: { team: string; round: string; day: string }): string {
  const header = `${heading.team} · ${heading.round} · ${heading.day}`;
  return `@page {\n  @top-left { content: ${cssString(header)}; font: 9pt sans-serif; color: #444; }\n}\n`;
}

/** The round opened last (offered rounds have all opened; ties keep the first listed). */
function latestOf<R extends { openedAt: Date | null }>(rounds: readonly R[]): R | undefined {
  return rounds.reduce<R | undefined>(
    (best, r) =>
      best && (best.openedAt?.getTime() ?? 0) >= (r.openedAt?.getTime() ?? 0) ? best : r,
    undefined,
  );
}

/**
 * The comparison's picker: a questionnaire first (those that have rounds with answers), then,
 * for it, one round per team — of it, or of a questionnaire of its family (a fork and its
 * origin, which share item ids). `mixed` when the chosen rounds use questionnaires of several
 * families, or not of the one picked: such a choice cannot be compared. `'latest'` (the questionnaire just
 * picked, no rounds chosen yet) preselects each team's latest round of it, so that "Compare"
 * at once compares them rather than nothing.
 */
export function pickerChoice(
  teams: readonly PickerTeam[],
  questionnaire: string | undefined,
  chosen: readonly string[] | 'latest',
) {
  const all = teams.flatMap((t) => t.rounds);
  const titles = new Map(all.map((r) => [r.slug, r.questionnaireTitle]));
  const familyOf = new Map(all.map((r) => [r.slug, r.family]));
  const ids = chosen === 'latest' ? [] : chosen;
  const picked = all.filter((r) => ids.includes(r.id));
  const chosenFamilies = new Set(picked.map((r) => r.family));
  const slug =
    questionnaire ?? (chosenFamilies.size === 1 ? picked[0]?.slug : undefined) ?? undefined;
  const known = slug !== undefined && titles.has(slug);
  const family = slug === undefined ? undefined : familyOf.get(slug);
  return {
    mixed:
      chosenFamilies.size > 1 ||
      (slug !== undefined && [...chosenFamilies].some((f) => f !== (family ?? slug))),
    slug: known ? slug : null,
    questionnaireTitle: known ? titles.get(slug) : null,
    questionnaires: [...titles.entries()]
      .map(([s, title]) => ({ slug: s, title, selected: s === slug }))
      .sort((a, b) => a.title.localeCompare(b.title)),
    teams: known
      ? teams.flatMap((t) => {
          // A fork's rounds and its origin's are offered together, named by questionnaire.
          const own = t.rounds.filter((r) => r.family === family);
          return own.length === 0
            ? []
            : [
                {
                  id: t.id,
                  name: t.name,
                  rounds: own.map((r) => ({
                    id: r.id,
                    title: r.slug === slug ? r.title : `${r.title} (${r.questionnaireTitle})`,
                    selected: chosen === 'latest' ? r === latestOf(own) : ids.includes(r.id),
                  })),
                },
              ];
        })
      : [],
  };
}
