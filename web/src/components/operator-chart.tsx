// One operator chart card: its title, the latest value of each series as text (what a screen
// reader and a glance both need), and the chart over the chosen range.
import { useMemo, type ReactNode } from 'react';
import type { OperatorChart as Chart } from '../api/operator-types';
import { PALETTE } from '../lib/chart-options';
import { operatorChartOptions } from '../lib/operator-chart-options';
import { chartData, formatOperatorValue, latestValue, seriesName } from '../lib/operator-data';
import { TimeChart } from './time-chart';

export function OperatorChart({ chart, times }: { chart: Chart; times: readonly number[] }): ReactNode {
  const labels = chart.series.map((s) => s.label).join('|');
  const options = useMemo(() => operatorChartOptions(chart), [chart]);
  const data = useMemo(() => chartData(times, chart), [times, chart]);
  return (
    <section className="card operator-chart" aria-labelledby={`chart-${chart.id}`} data-chart={chart.id}>
      <h3 className="card-title" id={`chart-${chart.id}`}>
        {chart.title}
      </h3>
      {chart.series.length === 0 ? (
        <p className="operator-none">None in this range</p>
      ) : (
        <>
          <ul className="operator-latest">
            {chart.series.map((s, i) => (
              <li key={s.label}>
                {chart.series.length > 1 && <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />}
                <span className="operator-series-name">{chart.series.length > 1 ? seriesName(chart, s) : 'Now'}</span>
                <span className="operator-value" data-value={latestValue(s) ?? ''}>
                  {formatOperatorValue(latestValue(s), chart.unit)}
                </span>
              </li>
            ))}
          </ul>
          <TimeChart options={options} optionsKey={`${chart.id}:${labels}`} data={data} height={160} label={`${chart.title} over the chosen range`} />
        </>
      )}
    </section>
  );
}
