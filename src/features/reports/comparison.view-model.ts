import { dimensionCell, neutralLabel, tensionPositions } from './comparison';
import type { RoundReport } from './report.types';
import { reportUrl } from './report.view-model';

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

/** Heat-map shade for a 0–100 score: five steps, each with a text label (legible in grayscale). */
function shade(score100: number | null): string {
  if (score100 === null) return 'none';
  return String(Math.min(4, Math.floor(score100 / 20)));
}

function newest(reports: readonly RoundReport[]): RoundReport | undefined {
  return [...reports].sort((a, b) => b.questionnaire.version - a.questionnaire.version)[0];
}

function tensionCharts(
  reference: RoundReport,
  series: readonly { label: string; report: RoundReport }[],
) {
  return reference.items
    .filter((i) => i.kind === 'tension' && i.tension)
    .map((item) => {
      const markers = series.flatMap(({ label, report }, index) => {
        const position = tensionPositions(report).find((p) => p.itemId === item.itemId);
        if (!position || position.mean === null) return [];
        // The label on the side with more room, so it never runs past the axis's end.
        const onLeft = position.mean > 4;
        return [
          {
            label,
            x: axisX(position.mean).toFixed(1),
            y: String(AXIS.firstRow + index * AXIS.row),
            mean: position.mean.toFixed(2),
            dx: onLeft ? '-14' : '14',
            anchor: onLeft ? 'end' : 'start',
          },
        ];
      });
      return {
        itemId: item.itemId,
        title: item.title,
        left: item.tension?.left.label ?? '',
        right: item.tension?.right.label ?? '',
        width: AXIS.width,
        height: AXIS.firstRow + series.length * AXIS.row,
        axisLeft: AXIS.left,
        axisRight: AXIS.right,
        axisY: AXIS.y,
        tickEnd: AXIS.y + 5,
        tickLabelY: AXIS.y - 6,
        ticks: [1, 2, 3, 4, 5, 6, 7].map((v) => ({ x: axisX(v).toFixed(1), label: String(v) })),
        markers,
        summary: markers.map((m) => `${m.label} ${m.mean}`).join(', ') || 'no figures',
      };
    });
}

/**
 * One heat-map cell: the dimension's maturity score on 0–100 (when it has maturity items) over
 * the mean consensus of its items, "split" below 0.6. A score of 0 is a score, not a blank.
 */
function heatCell(report: RoundReport, key: string) {
  const cell = dimensionCell(report, key);
  return {
    suppressed: cell.suppressed,
    shade: shade(cell.score100),
    hasScore: cell.score100 !== null,
    score: cell.score100 === null ? null : Math.round(cell.score100),
    consensus: cell.consensus === null ? null : cell.consensus.toFixed(2),
    lowConsensus: cell.consensus !== null && cell.consensus < 0.6,
  };
}

/** Whether any dimension has a maturity score to show (Tensions, for example, has none). */
const scoredOf = (report: RoundReport | undefined) =>
  report?.items.some((i) => i.kind === 'maturity') ?? false;

export function toComparisonView(reports: readonly RoundReport[], options: { hideNames: boolean }) {
  const reference = newest(reports);
  const series = reports.map((report, i) => ({
    label: options.hideNames ? neutralLabel(i) : report.team.name,
    report,
  }));
  const dimensions = reference?.dimensions.filter((d) => d.itemIds.length > 0) ?? [];
  return {
    title: 'Compare teams',
    hideNames: options.hideNames,
    scored: scoredOf(reference),
    empty: reports.length === 0,
    dimensions: dimensions.map((d) => ({ key: d.key, label: d.label })),
    rows: series.map(({ label, report }) => ({
      label,
      url: options.hideNames ? null : reportUrl(report.round.id),
      n: report.n,
      cells: dimensions.map((d) => heatCell(report, d.key)),
    })),
    tensions: reference ? tensionCharts(reference, series) : [],
  };
}

export function toTrendView(input: {
  team: { id: string; name: string };
  slug: string | null;
  questionnaires: readonly string[];
  reports: readonly RoundReport[];
}) {
  const reference = newest(input.reports);
  const dimensions = reference?.dimensions.filter((d) => d.itemIds.length > 0) ?? [];
  const series = input.reports.map((report, i) => ({
    label: `${i + 1}. ${report.round.title}`,
    report,
    versionChanged:
      i > 0 && report.questionnaire.version !== input.reports[i - 1]?.questionnaire.version,
  }));
  return {
    title: `${input.team.name}: trend`,
    team: input.team,
    scored: scoredOf(reference),
    slug: input.slug,
    questionnaireOptions: input.questionnaires.map((q) => ({
      slug: q,
      selected: q === input.slug,
    })),
    empty: input.reports.length === 0,
    dimensions: dimensions.map((d) => ({ key: d.key, label: d.label })),
    rounds: series.map(({ label, report, versionChanged }) => ({
      label,
      url: reportUrl(report.round.id),
      n: report.n,
      version: report.questionnaire.version,
      versionChanged,
      date: report.round.openedAt,
      cells: dimensions.map((d) => heatCell(report, d.key)),
    })),
    tensions: reference ? tensionCharts(reference, series) : [],
  };
}

/** The comparison's JSON: per team and dimension, the cell; per tension, each team's mean. */
export function toComparisonDto(reports: readonly RoundReport[], options: { hideNames: boolean }) {
  const reference = newest(reports);
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
    })),
  };
}

export function toTrendDto(input: {
  team: { id: string; name: string };
  slug: string | null;
  reports: readonly RoundReport[];
}) {
  const base = toComparisonDto(input.reports, { hideNames: false });
  return {
    team: input.team,
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
    })),
  };
}
