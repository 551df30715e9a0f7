import type { ItemReport, RoundReport } from './report.types';

/**
 * What the report templates need, geometry of the inline SVG charts included: templates only
 * place precomputed numbers. Charts use shapes, text labels and a dark fill, so they stay
 * legible printed in grayscale.
 */

const fmt = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '–' : value.toFixed(digits);
const pct = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${Math.round(share * 100)} %`;

const CHART = { width: 300, height: 110, top: 18, bottom: 22, side: 6 } as const;

export function histogramChart(histogram: readonly number[], labels: readonly string[]) {
  const max = Math.max(1, ...histogram);
  const slot = (CHART.width - 2 * CHART.side) / histogram.length;
  const barWidth = Math.max(4, slot * 0.7);
  const plot = CHART.height - CHART.top - CHART.bottom;
  return {
    width: CHART.width,
    height: CHART.height,
    baseline: CHART.height - CHART.bottom,
    bars: histogram.map((count, i) => {
      const height = (count / max) * plot;
      const x = CHART.side + i * slot + (slot - barWidth) / 2;
      return {
        x: x.toFixed(1),
        y: (CHART.height - CHART.bottom - height).toFixed(1),
        width: barWidth.toFixed(1),
        height: height.toFixed(1),
        count,
        countY: (CHART.height - CHART.bottom - height - 4).toFixed(1),
        center: (x + barWidth / 2).toFixed(1),
        label: labels[i] ?? String(i + 1),
      };
    }),
    labelY: CHART.height - 6,
    summary: histogram.map((count, i) => `${labels[i] ?? i + 1}: ${count}`).join(', '),
  };
}

const AXIS = { width: 320, left: 20, right: 300, y: 30 } as const;
const axisX = (value: number) => AXIS.left + ((value - 1) / 6) * (AXIS.right - AXIS.left);

export function tensionAxis(mean: number | null, desiredMean: number | null) {
  return {
    width: AXIS.width,
    y: AXIS.y,
    left: AXIS.left,
    right: AXIS.right,
    ticks: [1, 2, 3, 4, 5, 6, 7].map((v) => ({ x: axisX(v).toFixed(1), label: String(v) })),
    mean: mean === null ? null : { x: axisX(mean).toFixed(1) },
    desired:
      desiredMean === null
        ? null
        : {
            x: axisX(desiredMean).toFixed(1),
            left: (axisX(desiredMean) - 6).toFixed(1),
            right: (axisX(desiredMean) + 6).toFixed(1),
          },
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

function itemView(item: ItemReport) {
  const f = item.figures;
  const stats = f
    ? [
        { label: 'Answers', value: String(f.n) },
        { label: 'Mean', value: fmt(f.mean) },
        { label: 'Median', value: fmt(f.median, 1) },
        { label: 'SD', value: fmt(f.sd) },
        { label: 'Consensus', value: fmt(f.consensus) },
      ]
    : [];
  const base = {
    id: item.itemId,
    number: item.number,
    title: item.title,
    suppressed: item.suppressed,
    discuss: f?.discuss ?? false,
    stats,
  };
  if (item.tension) {
    const t = item.tension;
    const poles =
      t.lean === 'left'
        ? [t.left]
        : t.lean === 'right'
          ? [t.right]
          : t.lean === 'balanced'
            ? [t.left, t.right]
            : [];
    return {
      ...base,
      isTension: true,
      leftLabel: t.left.label,
      rightLabel: t.right.label,
      axis: tensionAxis(f?.mean ?? null, t.desired?.mean ?? null),
      chart: f ? histogramChart(f.histogram, ['1', '2', '3', '4', '5', '6', '7']) : null,
      leanText:
        t.lean === 'left'
          ? `The team leans to “${t.left.label}”.`
          : t.lean === 'right'
            ? `The team leans to “${t.right.label}”.`
            : t.lean === 'balanced'
              ? 'The team holds a balance between the two.'
              : null,
      poles,
      desiredText:
        t.desired && t.desired.mean !== null && t.gap !== null
          ? `Where it should be: ${fmt(t.desired.mean)} (gap ${t.gap >= 0 ? '+' : ''}${fmt(t.gap)}, ${t.gap > 0 ? `towards “${t.right.label}”` : t.gap < 0 ? `towards “${t.left.label}”` : 'none'})`
          : null,
    };
  }
  if (item.maturity) {
    return {
      ...base,
      isMaturity: true,
      chart: f
        ? histogramChart(
            f.histogram,
            item.maturity.levels.map((_l, i) => String(i + 1)),
          )
        : null,
      levels: item.maturity.levels.map((label, i) => ({ value: i + 1, label })),
      score: scoreBar(item.maturity.score100),
    };
  }
  if (item.practice) {
    return {
      ...base,
      isPractice: true,
      ratingQuestion: item.practice.ratingQuestion,
      chart: f ? histogramChart(f.histogram, ['1', '2', '3', '4', '5']) : null,
      comments: item.practice.comments,
    };
  }
  const d = item.dcf;
  return {
    ...base,
    isDcf: true,
    atRisk: pct(d?.atRiskShare),
    respondents: d?.respondents ?? 0,
    aspects: (d?.aspects ?? []).map((a) => ({
      label: a.label,
      driver: pct(a.driver),
      constraint: pct(a.constraint),
      float: pct(a.float),
      disputed: a.disputed,
    })),
  };
}

export function reportUrl(roundId: string): string {
  return `/reports/rounds/${encodeURIComponent(roundId)}`;
}

export function toReportView(report: RoundReport, options: { print: boolean }) {
  const items = new Map(report.items.map((i) => [i.itemId, itemView(i)]));
  const exportBase = reportUrl(report.round.id);
  return {
    title: `${report.team.name}: ${report.round.title}`,
    print: options.print,
    layout: options.print ? 'print' : undefined,
    report,
    anonymityText:
      report.round.anonymity === 'anonymous'
        ? `Anonymous; no figure is shown for fewer than ${report.round.minGroupSize} answers`
        : 'Named',
    printUrl: `${reportUrl(report.round.id)}/print`,
    pdfUrls: {
      a4: `${reportUrl(report.round.id)}/report.pdf?paper=a4`,
      letter: `${reportUrl(report.round.id)}/report.pdf?paper=letter`,
    },
    roundUrl: `/rounds/${encodeURIComponent(report.round.id)}`,
    exportLinks: {
      itemsCsv: `${exportBase}/export.csv?part=items`,
      responsesCsv: `${exportBase}/export.csv?part=responses`,
      json: `${exportBase}/export.json`,
    },
    discuss: report.discuss.map((d) => ({ ...d, consensus: fmt(d.consensus) })),
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
