// History: power over a day, week, month or year (drag to zoom, arrows to move, devices on and
// off, the previous period for comparison), energy and cost bars, and a CSV download. The current
// period is read again while it is shown, as the dashboard's figures are, so that it grows.
import { useState, type ReactNode } from 'react';
import { useApp } from '../app-context';
import { ErrorState, Loading, RefreshFailed } from '../components/status';
import { useHistoryData } from '../hooks/use-history-data';
import { useHistoryPeriod } from '../hooks/use-history-period';
import { useRefresh } from '../hooks/use-refresh';
import { SPANS } from '../lib/history-range';
import { CsvDownload } from './csv-download';
import { HistoryBars } from './history-bars';
import { HistoryPeriod } from './history-period';
import { HistoryPower } from './history-power';

export function HistoryPage(): ReactNode {
  const { client, household } = useApp();
  const tz = household.timeZone;
  const shown = useHistoryPeriod(tz);
  const { span, fromMs, toMs, previousFromMs, current, nowMs } = shown;
  const [compare, setCompare] = useState(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [bars, setBars] = useState<'energy' | 'cost'>('energy');
  const { period, refreshMs } = SPANS.find((s) => s.span === span)!;
  const xRange = [fromMs / 1000, toMs / 1000] as const;

  const { state, reload } = useHistoryData(client, household.id, tz, { fromMs, toMs, previousFromMs, period, compare });
  useRefresh(reload, refreshMs, current);

  const toggle = (device: string): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(device)) next.add(device);
      return next;
    });

  return (
    <>
      <h1>History</h1>
      <HistoryPeriod period={shown} compare={compare} setCompare={setCompare} tz={tz} />
      {state.status === 'loading' && <Loading label="Loading history…" />}
      {state.status === 'error' && <ErrorState error={state.error} onRetry={reload} />}
      {state.status === 'ok' && <RefreshFailed error={state.refreshError} onRetry={reload} />}
      {state.status === 'ok' && (
        <>
          <HistoryPower data={state.data} hidden={hidden} toggle={toggle} compare={compare} span={span} xRange={xRange} />
          <HistoryBars data={state.data} hidden={hidden} bars={bars} setBars={setBars} span={span} xRange={xRange} />
        </>
      )}
      <CsvDownload fromMs={fromMs} toMs={Math.min(toMs, nowMs + 60_000)} span={span} />
    </>
  );
}
