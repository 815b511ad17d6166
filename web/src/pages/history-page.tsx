// History: power over a day, week, month or year (drag to zoom, arrows to move, devices on and
// off, the previous period for comparison), energy and cost bars, and a CSV download.
import { useMemo, useState, type ReactNode } from 'react';
import type uPlot from 'uplot';
import type { EnergyAnswer, Period, PowerAnswer } from '../api/types';
import { useApp } from '../app-context';
import { Empty, ErrorState, Loading } from '../components/status';
import { TimeChart } from '../components/time-chart';
import { useAsync } from '../hooks/use-async';
import { barChartOptions, deviceColor, powerChartOptions } from '../lib/chart-options';
import { formatEnergy, formatMoney } from '../lib/format';
import { barColumns, powerColumns, shiftedTotal, sum } from '../lib/history-data';
import { isoInZone, spanStart, type CalendarSpan } from '../lib/time-zone';
import { CsvDownload } from './csv-download';

const SPANS: { span: CalendarSpan; label: string; period: Period }[] = [
  { span: 'day', label: 'Day', period: 'hour' },
  { span: 'week', label: 'Week', period: 'day' },
  { span: 'month', label: 'Month', period: 'day' },
  { span: 'year', label: 'Year', period: 'month' },
];

interface HistoryData {
  power: PowerAnswer;
  cost: EnergyAnswer;
  previousPower?: PowerAnswer;
  previousCost?: EnergyAnswer;
}

export function HistoryPage(): ReactNode {
  const { client, household } = useApp();
  const tz = household.timeZone;
  const [span, setSpan] = useState<CalendarSpan>('day');
  const [offset, setOffset] = useState(0);
  const [compare, setCompare] = useState(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [bars, setBars] = useState<'energy' | 'cost'>('energy');
  const [now] = useState(() => Date.now());
  const period = SPANS.find((s) => s.span === span)!.period;
  const fromMs = spanStart(now, span, tz, offset);
  const toMs = spanStart(now, span, tz, offset + 1);
  const previousFromMs = spanStart(now, span, tz, offset - 1);

  const { state, reload } = useAsync<HistoryData>(
    async (signal) => {
      const base = `/v1/households/${encodeURIComponent(household.id)}`;
      const range = (from: number, to: number): string => `from=${encodeURIComponent(isoInZone(from, tz))}&to=${encodeURIComponent(isoInZone(to, tz))}`;
      const get = <T,>(path: string): Promise<T> => client.json<T>('/api/read', `${base}${path}`, { signal });
      const [power, cost, previousPower, previousCost] = await Promise.all([
        get<PowerAnswer>(`/power?${range(fromMs, toMs)}`),
        get<EnergyAnswer>(`/cost?${range(fromMs, toMs)}&period=${period}`),
        compare ? get<PowerAnswer>(`/power?${range(previousFromMs, fromMs)}`) : undefined,
        compare ? get<EnergyAnswer>(`/cost?${range(previousFromMs, fromMs)}&period=${period}`) : undefined,
      ]);
      return { power, cost, previousPower, previousCost };
    },
    [client, household.id, tz, fromMs, toMs, previousFromMs, period, compare],
  );

  const rangeLabel = useMemo(() => describeRange(fromMs, toMs, span, tz), [fromMs, toMs, span, tz]);
  const toggle = (device: string): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(device)) next.add(device);
      return next;
    });

  return (
    <>
      <h1>History</h1>
      <section className="card" aria-label="Period">
        <div className="segmented" role="group" aria-label="Period length">
          {SPANS.map((s) => (
            <button
              key={s.span}
              type="button"
              aria-pressed={span === s.span}
              onClick={() => {
                setSpan(s.span);
                setOffset(0);
              }}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div className="toolbar">
          <button type="button" className="button secondary small" onClick={() => setOffset((o) => o - 1)} aria-label={`Previous ${span}`}>
            ◀
          </button>
          <span className="range-label" aria-live="polite" data-testid="history-range">
            {rangeLabel}
          </span>
          <button type="button" className="button secondary small" onClick={() => setOffset((o) => o + 1)} disabled={offset >= 0} aria-label={`Next ${span}`}>
            ▶
          </button>
          {offset !== 0 && (
            <button type="button" className="button secondary small" onClick={() => setOffset(0)}>
              Current
            </button>
          )}
          <label className="field inline compare">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
            <span>Compare with previous {span}</span>
          </label>
        </div>
      </section>
      {state.status === 'loading' && <Loading label="Loading history…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && (
        <HistoryCharts xRange={[fromMs / 1000, toMs / 1000]} data={state.data} hidden={hidden} toggle={toggle} compare={compare} shiftMs={fromMs - previousFromMs} bars={bars} setBars={setBars} span={span} />
      )}
      <CsvDownload fromMs={fromMs} toMs={Math.min(toMs, now + 60_000)} span={span} />
    </>
  );
}

interface ChartsProps {
  data: HistoryData;
  hidden: ReadonlySet<string>;
  toggle: (device: string) => void;
  compare: boolean;
  shiftMs: number;
  bars: 'energy' | 'cost';
  setBars: (bars: 'energy' | 'cost') => void;
  span: CalendarSpan;
  xRange: readonly [number, number];
}

function HistoryCharts({ data, hidden, toggle, compare, shiftMs, bars, setBars, span, xRange }: ChartsProps): ReactNode {
  const { household } = useApp();
  const tz = household.timeZone;
  const allDevices = data.power.series.map((s) => s.device);
  const currency = data.cost.currency ?? household.tariff.currency;
  const power = useMemo(() => powerColumns(data.power, hidden), [data.power, hidden]);
  const previous = useMemo(
    () => (compare && data.previousPower !== undefined ? shiftedTotal(data.previousPower, hidden, shiftMs, power.x) : undefined),
    [compare, data.previousPower, hidden, shiftMs, power.x],
  );
  const shown = power.devices.map((d) => d.device);
  const powerData = useMemo<uPlot.AlignedData>(() => [power.x, ...power.devices.map((d) => d.values), power.total, ...(previous === undefined ? [] : [previous])], [power, previous]);
  const current = useMemo(() => barColumns(data.cost.buckets, hidden), [data.cost.buckets, hidden]);
  const before = useMemo(() => (data.previousCost === undefined ? undefined : barColumns(data.previousCost.buckets, hidden)), [data.previousCost, hidden]);
  const barValues = bars === 'energy' ? current.kwh : current.cost;
  const previousBars = before === undefined ? undefined : current.x.map((_, i) => (bars === 'energy' ? before.kwh[i] : before.cost[i]) ?? null);
  const barData: uPlot.AlignedData = [current.x, barValues, ...(previousBars === undefined ? [] : [previousBars])];
  const totalKwh = sum(current.kwh);
  const totalCost = sum(current.cost);

  return (
    <>
      <section className="card" aria-labelledby="power-title">
        <h2 id="power-title" className="card-title">
          Power
        </h2>
        {allDevices.length === 0 ? (
          <Empty>No readings in this period.</Empty>
        ) : (
          <>
            <fieldset className="toggles">
              <legend className="visually-hidden">Devices shown</legend>
              {allDevices.map((device, i) => (
                <label key={device}>
                  <input type="checkbox" checked={!hidden.has(device)} onChange={() => toggle(device)} />
                  <span className="swatch" style={{ background: deviceColor(i) }} aria-hidden="true" />
                  {device}
                </label>
              ))}
            </fieldset>
            <TimeChart
              options={powerChartOptions(shown, previous !== undefined, tz)}
              optionsKey={`${shown.join('|')}#${previous !== undefined}#${tz}`}
              data={powerData}
              height={260}
              xRange={xRange}
              zoomControls
              label={`Power of the shown devices over the ${span}`}
            />
            <p className="hint">Drag across the chart or use + and − to zoom; ← → move within the {span}.</p>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="bars-title">
        <h2 id="bars-title" className="card-title">
          {bars === 'energy' ? 'Energy' : 'Cost'} per {span === 'year' ? 'month' : span === 'day' ? 'hour' : 'day'}
        </h2>
        <div className="segmented" role="group" aria-label="Bars show">
          <button type="button" aria-pressed={bars === 'energy'} onClick={() => setBars('energy')}>
            Energy (kWh)
          </button>
          <button type="button" aria-pressed={bars === 'cost'} onClick={() => setBars('cost')}>
            Cost ({currency})
          </button>
        </div>
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
        {current.x.length === 0 ? (
          <Empty>No energy recorded in this period.</Empty>
        ) : (
          <TimeChart
            options={barChartOptions(bars, currency, tz, previousBars !== undefined)}
            optionsKey={`${bars}#${previousBars !== undefined}#${tz}`}
            data={barData}
            height={220}
            xRange={xRange}
            label={`${bars === 'energy' ? 'Energy' : 'Cost'} per bucket over the ${span}; totals are shown above`}
          />
        )}
      </section>
    </>
  );
}

function describeRange(fromMs: number, toMs: number, span: CalendarSpan, timeZone: string): string {
  const date = (ms: number, options: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat(undefined, { timeZone, ...options }).format(new Date(ms));
  switch (span) {
    case 'day':
      return date(fromMs, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    case 'week':
      return `${date(fromMs, { day: 'numeric', month: 'short' })} – ${date(toMs - 1, { day: 'numeric', month: 'short', year: 'numeric' })}`;
    case 'month':
      return date(fromMs, { month: 'long', year: 'numeric' });
    case 'year':
      return date(fromMs, { year: 'numeric' });
  }
}
