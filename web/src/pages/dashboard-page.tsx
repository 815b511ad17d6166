// "Now": current power (large, live), the last minutes as a live chart, today's energy and cost,
// and which devices draw what right now.
import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import { useApp } from '../app-context';
import { Empty, ErrorState, Loading } from '../components/status';
import { TimeChart } from '../components/time-chart';
import { useLivePower } from '../hooks/use-live-power';
import { useNow } from '../hooks/use-now';
import { liveChartOptions } from '../lib/chart-options';
import { currentTotal } from '../lib/live-power';
import { formatAgo, formatPower } from '../lib/format';
import { navigate } from '../router';
import { DeviceBreakdown } from './device-breakdown';
import { TodaySummary } from './today-summary';

const WINDOW_MS = 10 * 60_000;
/** Agents publish every 10–60 s; a total older than this is no longer "now". */
const STALE_AFTER_MS = 3 * 60_000;

export function DashboardPage(): ReactNode {
  const { client, household } = useApp();
  const live = useLivePower(client, household.id, WINDOW_MS);
  const total = currentTotal(live.power);
  const now = useNow(10_000);
  const lastMs = live.power.totals[live.power.totals.length - 1]?.[0];
  const stale = lastMs !== undefined && now - lastMs > STALE_AFTER_MS;
  const data = useMemo<uPlot.AlignedData>(() => [live.power.totals.map(([t]) => t / 1000), live.power.totals.map(([, w]) => w)], [live.power.totals]);
  const chartOptions = useMemo(() => liveChartOptions(household.timeZone, WINDOW_MS / 1000), [household.timeZone]);

  return (
    <>
      <h1 className="visually-hidden">Now</h1>
      <section className="card now" aria-labelledby="now-title">
        <h2 id="now-title" className="card-title">
          Using now <LiveBadge state={live.connection} />
        </h2>
        {total === undefined ? (
          live.seedError !== undefined ? (
            <ErrorState error={`Current power could not be loaded: ${live.seedError.message}`} onRetry={live.retrySeed} />
          ) : live.seeded ? (
            <Empty>
              <p>No readings in the last minutes.</p>
              <p>
                Add a device under{' '}
                <a
                  href="/devices"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate('/devices');
                  }}
                >
                  Devices
                </a>{' '}
                and start its agent; power shows here within a minute.
              </p>
            </Empty>
          ) : (
            <Loading label="Waiting for readings…" />
          )
        ) : (
          <>
            <p className={stale ? 'big-number stale' : 'big-number'} aria-live="polite" data-testid="current-power">
              {formatPower(total)}
            </p>
            {stale && lastMs !== undefined && <p className="notice">No new readings since {formatAgo(new Date(lastMs).toISOString(), now)}: is the agent running?</p>}
          </>
        )}
        {live.connection === 'reconnecting' && !(total === undefined && live.seedError !== undefined) && <ErrorState error={`Live updates interrupted${live.detail === undefined ? '' : ` (${live.detail})`}; reconnecting…`} />}
        {live.power.totals.length > 1 && <TimeChart options={chartOptions} optionsKey={`live#${household.timeZone}`} data={data} height={200} readout label="Household power over the last 10 minutes" />}
      </section>
      <TodaySummary />
      <DeviceBreakdown devices={live.power.devices} unavailable={live.seedError !== undefined} />
    </>
  );
}

function LiveBadge({ state }: { state: string }): ReactNode {
  const text = state === 'open' ? 'live' : state === 'connecting' ? 'connecting' : 'reconnecting';
  return <span className={`badge ${state === 'open' ? 'ok' : 'warn'}`}>{text}</span>;
}
