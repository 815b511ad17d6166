// History: power over a day, week, month or year (drag to zoom, arrows to move, devices on and
// off, the previous period for comparison), energy and cost bars, and a CSV download.
import { useState, type ReactNode } from 'react';
import { useApp } from '../app-context';
import { ErrorState, Loading } from '../components/status';
import { useHistoryData } from '../hooks/use-history-data';
import { SPANS } from '../lib/history-range';
import { spanStart, type CalendarSpan } from '../lib/time-zone';
import { CsvDownload } from './csv-download';
import { HistoryBars } from './history-bars';
import { HistoryPeriod } from './history-period';
import { HistoryPower } from './history-power';

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
  const xRange = [fromMs / 1000, toMs / 1000] as const;

  const { state, reload } = useHistoryData(client, household.id, tz, { fromMs, toMs, previousFromMs, period, compare });

  const toggle = (device: string): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(device)) next.add(device);
      return next;
    });

  return (
    <>
      <h1>History</h1>
      <HistoryPeriod span={span} setSpan={setSpan} offset={offset} setOffset={setOffset} compare={compare} setCompare={setCompare} fromMs={fromMs} toMs={toMs} tz={tz} />
      {state.status === 'loading' && <Loading label="Loading history…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && (
        <>
          <HistoryPower data={state.data} hidden={hidden} toggle={toggle} compare={compare} span={span} xRange={xRange} />
          <HistoryBars data={state.data} hidden={hidden} bars={bars} setBars={setBars} span={span} xRange={xRange} />
        </>
      )}
      <CsvDownload fromMs={fromMs} toMs={Math.min(toMs, now + 60_000)} span={span} />
    </>
  );
}
