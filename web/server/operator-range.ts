// Pure pieces of the operator endpoints: which time ranges a browser may ask for, the step each
// range is charted at, and Prometheus range-query matrices reshaped into aligned columns (one time
// axis, one value array per series) — the shape uPlot draws without further work.

export const OPERATOR_RANGES = { '1h': 3_600, '6h': 6 * 3_600, '24h': 24 * 3_600 } as const;
export type OperatorRange = keyof typeof OPERATOR_RANGES;

/** Steps a chart may use; the scrape interval (15 s by default) is the finest that means anything. */
const NICE_STEPS_S = [15, 30, 60, 120, 300, 600, 900, 1_800, 3_600] as const;
/** A phone-wide chart cannot show more points than this; more only costs Prometheus work. */
export const MAX_POINTS_PER_SERIES = 300;

/** The smallest nice step that keeps a range at or under MAX_POINTS_PER_SERIES points. */
export function stepForRange(rangeS: number, maxPoints = MAX_POINTS_PER_SERIES): number {
  const needed = rangeS / maxPoints;
  return NICE_STEPS_S.find((step) => step >= needed) ?? Math.ceil(needed);
}

export type MatrixSeries = { readonly metric: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, string])[] };

export type ChartSeries = { readonly label: string; readonly values: readonly (number | null)[] };

export type AlignedChart = {
  /** Unix seconds, start to end by step. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
};

/**
 * Puts each series' samples on the grid start, start + step, … ≤ end (where Prometheus evaluates a
 * range query); a gap (no sample at a grid time) stays null so the chart breaks the line there.
 * NaN and ±Inf (a quantile with no observations) are gaps too: JSON has no number for them.
 */
export function alignMatrix(matrix: readonly MatrixSeries[], startS: number, endS: number, stepS: number): AlignedChart {
  const times: number[] = [];
  for (let t = startS; t <= endS; t += stepS) times.push(t);
  const series = matrix.map((entry) => {
    const values: (number | null)[] = times.map(() => null);
    for (const [time, text] of entry.values) {
      const index = Math.round((time - startS) / stepS);
      const value = Number(text);
      if (index >= 0 && index < times.length && Number.isFinite(value)) values[index] = value;
    }
    return { label: seriesLabel(entry.metric), values };
  });
  series.sort((a, b) => a.label.localeCompare(b.label));
  return { times, series };
}

/** `job=write, reason=x` for a labelled series; the query's own name (empty) for a single sum. */
export function seriesLabel(metric: Readonly<Record<string, string>>): string {
  return Object.entries(metric)
    .filter(([name]) => name !== '__name__')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}
