// History's power chart: one line per shown device, their total and, when comparing, the previous
// span's total moved onto this span's time axis; checkboxes show and hide devices.
import { useMemo, type ReactNode } from 'react';
import type uPlot from 'uplot';
import { useApp } from '../app-context';
import { Empty } from '../components/status';
import { TimeChart } from '../components/time-chart';
import type { HistoryData } from '../hooks/use-history-data';
import { deviceColor, powerChartOptions } from '../lib/chart-options';
import { useFinePointer, zoomHint } from '../lib/fine-pointer';
import { movedTimes, powerColumns, shiftedTotal } from '../lib/history-data';
import { sameLocalTime, type CalendarSpan } from '../lib/time-zone';

interface PowerProps {
  data: HistoryData;
  hidden: ReadonlySet<string>;
  toggle: (device: string) => void;
  compare: boolean;
  span: CalendarSpan;
  xRange: readonly [number, number];
}

export function HistoryPower({ data, hidden, toggle, compare, span, xRange }: PowerProps): ReactNode {
  const { household } = useApp();
  const tz = household.timeZone;
  const allDevices = data.power.series.map((s) => s.device);
  const power = useMemo(() => powerColumns(data.power, hidden), [data.power, hidden]);
  const moved = useMemo(() => (data.previousPower === undefined ? undefined : movedTimes(data.previousPower, (t) => sameLocalTime(t, span, 1, tz))), [data.previousPower, span, tz]);
  const previous = useMemo(
    () => (compare && data.previousPower !== undefined && moved !== undefined ? shiftedTotal(data.previousPower, hidden, moved, power.x) : undefined),
    [compare, data.previousPower, hidden, moved, power.x],
  );
  const shown = power.devices.map((d) => d.device);
  const finePointer = useFinePointer();
  const powerData = useMemo<uPlot.AlignedData>(() => [power.x, ...power.devices.map((d) => d.values), power.total, ...(previous === undefined ? [] : [previous])], [power, previous]);

  return (
    <section className="card" aria-labelledby="power-title">
      <h2 id="power-title" className="card-title">
        Power
      </h2>
      {allDevices.length === 0 ? (
        <Empty>No readings in this period.</Empty>
      ) : (
        <>
          <DeviceToggles devices={allDevices} hidden={hidden} toggle={toggle} />
          <TimeChart
            options={powerChartOptions(shown, previous !== undefined, tz)}
            optionsKey={`${shown.join('|')}#${previous !== undefined}#${tz}`}
            data={powerData}
            height={260}
            xRange={xRange}
            zoomControls
            readout
            label={`Power of the shown devices over the ${span}`}
          />
          <p className="hint">{zoomHint(span, finePointer)}</p>
        </>
      )}
    </section>
  );
}

interface TogglesProps {
  devices: readonly string[];
  hidden: ReadonlySet<string>;
  toggle: (device: string) => void;
}

function DeviceToggles({ devices, hidden, toggle }: TogglesProps): ReactNode {
  return (
    <fieldset className="toggles">
      <legend className="visually-hidden">Devices shown</legend>
      {devices.map((device, i) => (
        <label key={device}>
          <input type="checkbox" checked={!hidden.has(device)} onChange={() => toggle(device)} />
          <span className="swatch" style={{ background: deviceColor(i) }} aria-hidden="true" />
          {device}
        </label>
      ))}
    </fieldset>
  );
}
