import {
  dimensionCell,
  neutralLabel,
  referenceOf,
  tensionPositions,
  type Compared,
} from './comparison';
import type { RoundReport, TensionItemReport } from './report.types';
import { figuresOf } from './round-report';
import { toActionRow, type ActionBrief } from '../actions';
import { signed } from './format';
import { arrowBetween, diamondPoints, reportUrl } from './report.view-model';

/**
 * Comparison and trend pages. Labels (dimensions, tension poles) come from the newest report;
 * items and dimensions of other versions are matched by id and key.
 */

/**
 * The positions chart spans the page's width (its poles sit above it): one row per team or
 * round, each with its own label, so many series stay readable. Rows and the top margin leave
 * room for the larger text that phones get (app.css).
 */
const AXIS = { left: 20, right: 620, width: 640, y: 24, firstRow: 52, row: 28 } as const;
const axisX = (value: number) => AXIS.left + ((value - 1) / 6) * (AXIS.right - AXIS.left);

/**
 * Heat-map shades. Sequential (a 0–100 score, or consensus × 100): ten steps of one hue from
 * light to dark, so 62 and 78 differ and the order survives grayscale. Diverging (a tension's
 * mean on 1..7): three steps to each pole around a neutral middle. Every cell prints its value
 * too, so the colour is never the only channel.
 */
export function sequentialShade(value100: number | null): string {
  if (value100 === null) return 'none';
  return `s${Math.max(0, Math.min(9, Math.floor(value100 / 10)))}`;
}

export function divergingShade(mean: number | null): string {
  if (mean === null) return 'none';
  const distance = mean - 4;
  // Neutral within 0.5 of the middle, where the lean is balanced too; then a step per point.
  const steps = Math.min(3, Math.max(0, Math.ceil(Math.abs(distance) - 0.5)));
  return steps === 0 ? 'd0' : `d${distance < 0 ? 'l' : 'r'}${steps}`;
}

/**
 * A column of a comparison or a trend: a team's or a round's report, and in a trend the items
 * whose meaning changed since the round before (questionnaire lineage), which are not compared
 * with it.
 */
type Series = readonly Readonly<{
  label: string;
  report: RoundReport;
  notComparable?: readonly string[];
}>[];

const brokenAt = (column: Series[number] | undefined, itemId: string) =>
  column?.notComparable?.includes(itemId) ?? false;

/**
 * Each tension's axis with one row per team (comparison) or round (trend). In a trend each row
 * after the first also shows where the previous round stood and an arrow to where this one
 * stands, labelled with the change; where the team said where it wants to be, an open diamond
 * marks that target. Where the item's meaning changed since the round before, the row has no
 * arrow and no change, but says "not comparable": the trend breaks there rather than joining
 * answers to two different questions, and the rounds on either side still show where they stood.
 */
function tensionCharts(reference: RoundReport, series: Series, options: { moves: boolean }) {
  return reference.items
    .filter((i): i is TensionItemReport => i.kind === 'tension')
    .map((item) => {
      const positions = series.map(({ report }) =>
        tensionPositions(report).find((p) => p.itemId === item.itemId),
      );
      const markers = series.flatMap(({ label }, index) => {
        const position = positions[index];
        if (!position || position.mean === null) return [];
        const y = AXIS.firstRow + index * AXIS.row;
        const notComparable = brokenAt(series[index], item.itemId);
        const before =
          options.moves && !notComparable ? (positions[index - 1]?.mean ?? null) : null;
        const change = before === null ? null : position.mean - before;
        const x = axisX(position.mean);
        // The label beside all of the row's marks (the mean, the previous round's mark, the
        // target), on the side with more room, so it neither covers them nor runs off the axis.
        const marks = [x, ...(before === null ? [] : [axisX(before)])].concat(
          position.desiredMean === null ? [] : [axisX(position.desiredMean)],
        );
        const first = Math.min(...marks);
        const last = Math.max(...marks);
        const onLeft = first - AXIS.left > AXIS.right - last;
        return [
          {
            label,
            x: x.toFixed(1),
            labelX: (onLeft ? first : last).toFixed(1),
            y: String(y),
            mean: position.mean.toFixed(2),
            change: notComparable ? 'not comparable' : change === null ? null : signed(change),
            dx: onLeft ? '-14' : '14',
            anchor: onLeft ? 'end' : 'start',
            from:
              before === null
                ? null
                : { x: axisX(before).toFixed(1), ...arrowBetween(axisX(before), x, y, 10) },
            target:
              position.desiredMean === null
                ? null
                : {
                    points: diamondPoints(axisX(position.desiredMean), y, 7),
                    mean: position.desiredMean.toFixed(2),
                  },
          },
        ];
      });
      const broken = series.filter((column) => brokenAt(column, item.itemId));
      return {
        itemId: item.itemId,
        title: item.title,
        /** Where the item's meaning changed: rounds before and after it are not compared. */
        breakNote:
          broken.length === 0
            ? null
            : options.moves
              ? `Its meaning changed in version ${broken[0]!.report.questionnaire.version} of the questionnaire: rounds from “${broken[0]!.label}” on are not comparable with the ones before.`
              : `Its meaning is not the same in the questionnaire ${broken.length === 1 ? 'version' : 'versions'} of ${broken.map((c) => c.label).join(', ')}: not comparable with the others.`,
        left: item.left.label,
        right: item.right.label,
        width: AXIS.width,
        height: AXIS.firstRow + series.length * AXIS.row,
        axisLeft: AXIS.left,
        axisRight: AXIS.right,
        axisY: AXIS.y,
        tickEnd: AXIS.y + 5,
        tickLabelY: AXIS.y - 6,
        ticks: [1, 2, 3, 4, 5, 6, 7].map((v) => ({ x: axisX(v).toFixed(1), label: String(v) })),
        markers,
        summary:
          markers
            .map(
              (m) =>
                `${m.label} ${m.mean}${m.change ? ` (${m.change})` : ''}${m.target ? `, wants ${m.target.mean}` : ''}`,
            )
            .join('; ') || 'no figures',
      };
    });
}

/**
 * One heat-map cell: the dimension's maturity score on 0–100 (when it has maturity items) over
 * the mean consensus of its items, "split" below 0.6; without scores the consensus is the
 * cell's value. A score of 0 is a score, not a blank. `previous` adds the change since then.
 * A dimension with an item whose meaning is not comparable (`notComparable`) is marked so,
 * and has no change: its score did not move the way the team did.
 */
function heatCell(
  report: RoundReport,
  key: string,
  options: Readonly<{ previous?: RoundReport; notComparable: readonly string[] }>,
) {
  const cell = dimensionCell(report, key);
  const notComparable = report.items.some(
    (i) => i.dimension === key && options.notComparable.includes(i.itemId),
  );
  const before = options.previous && !notComparable ? dimensionCell(options.previous, key) : null;
  const value = cell.score100 ?? (cell.consensus === null ? null : cell.consensus * 100);
  const change =
    before &&
    !before.suppressed &&
    !cell.suppressed &&
    cell.score100 !== null &&
    before.score100 !== null
      ? Math.round(cell.score100) - Math.round(before.score100)
      : null;
  return {
    suppressed: cell.suppressed,
    shade: sequentialShade(cell.suppressed ? null : value),
    hasScore: cell.score100 !== null,
    score: cell.score100 === null ? null : Math.round(cell.score100),
    consensus: cell.consensus === null ? null : cell.consensus.toFixed(2),
    lowConsensus: cell.consensus !== null && cell.consensus < 0.6,
    change:
      change === null ? null : `${change > 0 ? '↑' : change < 0 ? '↓' : '→'} ${signed(change, 0)}`,
    notComparable,
  };
}

/**
 * Tensions as a heat map: one row per tension, one column per team or round, each cell the
 * mean position with an arrow to the pole it leans to ("split" where the team pulls both ways).
 */
function tensionHeat(reference: RoundReport, series: Series) {
  const tensions = reference.items.filter((i): i is TensionItemReport => i.kind === 'tension');
  if (tensions.length === 0) return null;
  return {
    columns: series.map((s) => ({ label: s.label, n: s.report.n })),
    rows: tensions.map((item) => ({
      title: item.title,
      left: item.left.label,
      right: item.right.label,
      cells: series.map((column) => {
        const own = column.report.items.find((i) => i.itemId === item.itemId);
        const mean = own && !own.suppressed ? (figuresOf(own)?.mean ?? null) : null;
        const lean = mean === null || own?.kind !== 'tension' ? null : own.lean;
        return {
          suppressed: mean === null,
          // A split team leans nowhere: its own pattern, not the shade of the side its mean
          // happens to fall on.
          shade: lean === 'split' ? 'split' : divergingShade(mean),
          value: mean === null ? null : mean.toFixed(1),
          towardsLeft: lean === 'left',
          towardsRight: lean === 'right',
          split: lean === 'split',
          /** The item's meaning differs from the reference's (comparison) or the round before's. */
          notComparable: brokenAt(column, item.itemId),
        };
      }),
    })),
  };
}

/**
 * Tension questionnaires get a heat map of positions; the dimensions' heat map is shown where
 * there are scores, or where there is no tension to show instead.
 */
function tensionHeatAndDimensions(reference: RoundReport | undefined, series: Series) {
  const heat = reference ? tensionHeat(reference, series) : null;
  return { tensionHeat: heat, showDimensionHeat: scoredOf(reference) || heat === null };
}

/** Whether any dimension has a maturity score to show (Tensions, for example, has none). */
const scoredOf = (report: RoundReport | undefined) =>
  report?.items.some((i) => i.kind === 'maturity') ?? false;

/**
 * A compared round's label: its team's name, and the round's title too where the team has
 * several rounds in the comparison, which would otherwise read the same.
 */
function comparedLabel(report: RoundReport, reports: readonly RoundReport[]): string {
  const sameTeam = reports.filter((r) => r.team.name === report.team.name).length;
  return sameTeam > 1 ? `${report.team.name}: ${report.round.title}` : report.team.name;
}

export function toComparisonView(compared: Compared, options: { hideNames: boolean }) {
  const { reports } = compared;
  const reference = referenceOf(reports);
  const series = reports.map((report, i) => ({
    label: options.hideNames ? neutralLabel(i) : comparedLabel(report, reports),
    report,
    notComparable: compared.notComparable[i] ?? [],
  }));
  const dimensions = reference?.dimensions.filter((d) => d.itemIds.length > 0) ?? [];
  return {
    title: 'Compare teams',
    hideNames: options.hideNames,
    scored: scoredOf(reference),
    empty: reports.length === 0,
    dimensions: dimensions.map((d) => ({ key: d.key, label: d.label })),
    rows: series.map(({ label, report, notComparable }) => ({
      label,
      url: options.hideNames ? null : reportUrl(report.round.id),
      n: report.n,
      cells: dimensions.map((d) => heatCell(report, d.key, { notComparable })),
    })),
    tensions: reference ? tensionCharts(reference, series, { moves: false }) : [],
    ...tensionHeatAndDimensions(reference, series),
  };
}

/** A team's trend; `notComparable`: per round, the items whose meaning changed since the round before. */
export function toTrendView(
  input: Compared & {
    team: { id: string; name: string };
    slug: string | null;
    questionnaires: readonly { slug: string; title: string }[];
    actions: readonly ActionBrief[];
  },
) {
  const reference = referenceOf(input.reports);
  const dimensions = reference?.dimensions.filter((d) => d.itemIds.length > 0) ?? [];
  const series = input.reports.map((report, i) => ({
    label: `${i + 1}. ${report.round.title}`,
    report,
    notComparable: input.notComparable[i] ?? [],
    versionChanged:
      i > 0 && report.questionnaire.version !== input.reports[i - 1]?.questionnaire.version,
  }));
  const tensions = reference ? tensionCharts(reference, series, { moves: true }) : [];
  return {
    title: `${input.team.name}: trend`,
    team: input.team,
    scored: scoredOf(reference),
    slug: input.slug,
    questionnaireOptions: input.questionnaires.map((q) => ({
      ...q,
      selected: q.slug === input.slug,
    })),
    empty: input.reports.length === 0,
    dimensions: dimensions.map((d) => ({ key: d.key, label: d.label })),
    rounds: series.map(({ label, report, versionChanged }, i) => ({
      label,
      url: reportUrl(report.round.id),
      n: report.n,
      version: report.questionnaire.version,
      versionChanged,
      date: report.round.openedAt,
      cells: dimensions.map((d) =>
        heatCell(report, d.key, {
          previous: input.reports[i - 1],
          notComparable: input.notComparable[i] ?? [],
        }),
      ),
    })),
    /** The time line: each round, and what the team agreed after it. */
    timeline: series.map(({ label, report }) => ({
      label,
      url: reportUrl(report.round.id),
      date: report.round.openedAt,
      n: report.n,
      actions: input.actions.filter((a) => a.sourceRound.id === report.round.id).map(toActionRow),
    })),
    anyActions: input.actions.length > 0,
    tensions,
    anyTargets: tensions.some((t) => t.markers.some((m) => m.target)),
    ...tensionHeatAndDimensions(reference, series),
  };
}

/**
 * The comparison's JSON: per team and dimension, the cell; per tension, each team's mean; and
 * the items not comparable with the others.
 */
export function toComparisonDto(compared: Compared, options: { hideNames: boolean }) {
  const { reports } = compared;
  const reference = referenceOf(reports);
  const keys = reference?.dimensions.map((d) => d.key) ?? [];
  return {
    teams: reports.map((report, i) => ({
      roundId: options.hideNames ? null : report.round.id,
      team: options.hideNames ? neutralLabel(i) : report.team.name,
      n: report.n,
      suppressed: report.suppressed,
      dimensions: keys.map((key) => {
        const cell = dimensionCell(report, key);
        return cell.suppressed
          ? { key, suppressed: true }
          : { key, suppressed: false, score100: cell.score100, consensus: cell.consensus };
      }),
      tensions: tensionPositions(report),
      notComparable: compared.notComparable[i] ?? [],
    })),
  };
}

export function toTrendDto(
  input: Compared & {
    team: { id: string; name: string };
    slug: string | null;
    actions: readonly ActionBrief[];
  },
) {
  const base = toComparisonDto(input, { hideNames: false });
  return {
    // Only what the trend is about: not the team's whole record (its workspace id, tags…).
    team: { id: input.team.id, name: input.team.name },
    questionnaire: input.slug,
    rounds: base.teams.map((t, i) => ({
      roundId: t.roundId,
      title: input.reports[i]?.round.title,
      version: input.reports[i]?.questionnaire.version,
      openedAt: input.reports[i]?.round.openedAt?.toISOString() ?? null,
      n: t.n,
      suppressed: t.suppressed,
      dimensions: t.dimensions,
      tensions: t.tensions,
      notComparable: t.notComparable,
      /** What the team agreed after this round: the time line of what it tried. */
      actions: input.actions.filter((a) => a.sourceRound.id === t.roundId),
    })),
  };
}
