// History's energy or cost bars per hour, day or month, with the span's totals and, when
// comparing, the previous span's bars and totals beside them.
import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import { useApp } from '../app-context';
import { Empty } from '../components/status';
import { TimeChart } from '../components/time-chart';
import type { HistoryData } from '../hooks/use-history-data';
import { barChartOptions } from '../lib/chart-options';
import { formatEnergy, formatMoney } from '../lib/format';
import { barColumns, movedBars, sum, type BarColumns } from '../lib/history-data';
import { sameLocalTime, type CalendarSpan } from '../lib/time-zone';

interface BarsProps {
  data: HistoryData;
  hidden: ReadonlySet<string>;
  bars: 'energy' | 'cost';
  setBars: (bars: 'energy' | 'cost') => void;
  span: CalendarSpan;
  xRange: readonly [number, number];
}

export function HistoryBars({ data, hidden, bars, setBars, span, xRange }: BarsProps): ReactNode {
  const { household } = useApp();
  const tz = household.timeZone;
  const currency = data.cost.currency ?? household.tariff.currency;
  const current = useMemo(() => barColumns(data.cost.buckets, hidden), [data.cost.buckets, hidden]);
  const before = useMemo(() => (data.previousCost === undefined ? undefined : barColumns(data.previousCost.buckets, hidden)), [data.previousCost, hidden]);
  const barValues = bars === 'energy' ? current.kwh : current.cost;
  const previousBars = before === undefined ? undefined : movedBars(before.x, bars === 'energy' ? before.kwh : before.cost, (t) => sameLocalTime(t, span, 1, tz), current.x);
  const barData: uPlot.AlignedData = [current.x, barValues, ...(previousBars === undefined ? [] : [previousBars])];
  const bucket = span === 'year' ? 'month' : span === 'day' ? 'hour' : 'day';

  return (
    <section className="card" aria-labelledby="bars-title">
      <h2 id="bars-title" className="card-title">
        {bars === 'energy' ? 'Energy' : 'Cost'} per {bucket}
      </h2>
      <div className="segmented" role="group" aria-label="Bars show">
        <button type="button" aria-pressed={bars === 'energy'} onClick={() => setBars('energy')}>
          Energy (kWh)
        </button>
        <button type="button" aria-pressed={bars === 'cost'} onClick={() => setBars('cost')}>
          Cost ({currency})
        </button>
      </div>
      <BarTotals current={current} before={before} currency={currency} span={span} />
      {current.x.length === 0 ? (
        <Empty>No energy recorded in this period.</Empty>
      ) : (
        <TimeChart
          options={barChartOptions(bars, currency, tz, previousBars !== undefined, bucket)}
          optionsKey={`${bars}#${previousBars !== undefined}#${tz}#${bucket}`}
          data={barData}
          height={220}
          xRange={xRange}
          readout
          label={`${bars === 'energy' ? 'Energy' : 'Cost'} per bucket over the ${span}; totals are shown above`}
        />
      )}
    </section>
  );
}

interface TotalsProps {
  current: BarColumns;
  before: BarColumns | undefined;
  currency: string;
  span: CalendarSpan;
}

function BarTotals({ current, before, currency, span }: TotalsProps): ReactNode {
  const totalKwh = sum(current.kwh);
  const totalCost = sum(current.cost);
  return (
    <dl className="stats">
      <div>
        <dt>Energy</dt>
        <dd data-testid="period-energy">{formatEnergy(totalKwh)}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{formatMoney(totalCost, currency)}</dd>
      </div>
      {before !== undefined && (
        <div>
          <dt>Previous {span}</dt>
          <dd>
            {formatEnergy(sum(before.kwh))} · {formatMoney(sum(before.cost), currency)}
          </dd>
        </div>
      )}
    </dl>
  );
}
