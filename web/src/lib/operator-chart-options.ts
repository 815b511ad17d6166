// uPlot options for one operator chart: a line per series, values formatted for the chart's unit,
// times in the browser's zone. Counts and rates start at zero so a flat line is not blown up.
import type uPlot from 'uplot';
import type { OperatorChart } from '../api/operator-types';
import { PALETTE } from './chart-options';
import { formatOperatorValue, seriesName } from './operator-data';

export function operatorChartOptions(chart: OperatorChart): Omit<uPlot.Options, 'width' | 'height'> {
  const value = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatOperatorValue(v, chart.unit));
  const upDown = chart.unit === '';
  return {
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, upDown ? 1.1 : Math.max(max > 0 ? max * 1.15 : 1, 1e-9)] } },
    axes: [{}, { values: (_u, ticks) => ticks.map((t) => (upDown ? (t === 1 ? 'up' : t === 0 ? 'down' : '') : formatOperatorValue(t, chart.unit))), size: 70 }],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    series: [
      { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleTimeString()) },
      ...chart.series.map((s, i) => ({ label: seriesName(chart, s), stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false, value })),
    ],
  };
}
