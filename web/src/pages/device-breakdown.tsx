// Current power per device, largest first, with a bar for its share.
import type { ReactNode } from 'react';
import { Empty } from '../components/status';
import type { DevicePower } from '../lib/live-power';
import { formatPower } from '../lib/format';

/** `unavailable`: readings could not be asked for, so "none yet" would be a guess. */
export function DeviceBreakdown({ devices, unavailable = false }: { devices: ReadonlyMap<string, DevicePower>; unavailable?: boolean }): ReactNode {
  const rows = [...devices.values()].sort((a, b) => b.watts - a.watts);
  const max = Math.max(1, ...rows.map((r) => r.watts));
  return (
    <section className="card" aria-labelledby="breakdown-title">
      <h2 id="breakdown-title" className="card-title">
        By device
      </h2>
      {rows.length === 0 ? (
        <Empty>{unavailable ? 'Power per device shows here once readings can be loaded.' : 'No device has reported power yet.'}</Empty>
      ) : (
        <ul className="breakdown">
          {rows.map((row) => (
            <li key={row.device}>
              <span className="breakdown-name">{row.device}</span>
              <span className="breakdown-value">{formatPower(row.watts)}</span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.max(0, (row.watts / max) * 100)}%` }} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
