// A uPlot chart that follows its container's width. `options` (minus width/height) is fixed per
// `optionsKey`: when the key changes the chart is rebuilt, otherwise only the data is replaced,
// which keeps the user's zoom during live updates unless `resetScales` says otherwise, and always
// within an unchanged `xRange`. With `readout`, a line under it gives the values at the cursor.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import { readoutAt, type CursorAt } from '../lib/chart-readout';
import { ChartReadout } from './chart-readout';

export interface TimeChartProps {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly optionsKey: string;
  readonly data: uPlot.AlignedData;
  readonly height: number;
  /** Describes the chart for screen readers (the numbers are also shown as text nearby). */
  readonly label: string;
  readonly resetScales?: boolean;
  /** The x range to show (seconds) instead of the data's extent, e.g. the whole selected day. */
  readonly xRange?: readonly [number, number];
  /** Buttons to zoom and pan: touch screens and keyboards cannot drag-select on the canvas. */
  readonly zoomControls?: boolean;
  /** The time and every series' value at the cursor (hover or tap) as text under the chart. */
  readonly readout?: boolean;
}

export function TimeChart({ options, optionsKey, data, height, label, resetScales = true, xRange, zoomControls = false, readout = false }: TimeChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, options, xRange });
  useLayoutEffect(() => {
    latest.current = { data, options, xRange };
  });
  const [cursor, setCursor] = useState<CursorAt | null>(null);

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const width = Math.max(200, element.clientWidth);
    const follow: uPlot.Plugin = {
      hooks: {
        // Every mouse move calls this; the state changes only when the data point does.
        setCursor: (u) => {
          // idxs[0]: the x index the options' dataIdx chose (bars: the bar under the cursor, or none).
          const { idx: closest, idxs } = u.cursor;
          const idx = closest === null || closest === undefined ? null : idxs === undefined ? closest : (idxs[0] ?? null);
          setCursor((was) => (idx === null ? null : was?.chart === u && was.idx === idx ? was : { chart: u, idx }));
        },
      },
    };
    const options = doubleClickShowsRange(latest.current.options, () => latest.current.xRange);
    const chart = new uPlot({ ...options, plugins: [...(options.plugins ?? []), follow], width, height }, latest.current.data, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
      setCursor(null);
    };
  }, [optionsKey, height]);

  const [xMin, xMax] = xRange ?? [undefined, undefined];
  // The chart and x range the last data was shown in: new data for the same ones (a page reading
  // its current day again every minute) keeps the user's zoom; another range or chart shows whole.
  const shownIn = useRef<string | undefined>(undefined);
  useEffect(() => {
    const chart = plot.current;
    if (chart === null) return;
    const rangeKey = `${optionsKey}|${xMin}|${xMax}`;
    const { min, max } = chart.scales.x ?? {};
    const zoom = shownIn.current === rangeKey && min !== undefined && max !== undefined ? { min, max } : undefined;
    shownIn.current = rangeKey;
    chart.setData(data, resetScales);
    if (xMin !== undefined && xMax !== undefined) chart.setScale('x', zoom ?? { min: xMin, max: xMax });
  }, [data, resetScales, xMin, xMax, optionsKey]);

  /** Scales the visible x span by `factor` around its centre, or moves it by `shift` spans. */
  const view = (factor: number, shift: number): void => {
    const chart = plot.current;
    const { min, max } = chart?.scales.x ?? {};
    if (chart === null || min === undefined || max === undefined) return;
    const [lo, hi] = xMin !== undefined && xMax !== undefined ? [xMin, xMax] : [min, max];
    const span = Math.min(hi - lo, Math.max(60, (max - min) * factor));
    let start = (min + max) / 2 - span / 2 + shift * span;
    start = Math.max(lo, Math.min(hi - span, start));
    chart.setScale('x', { min: start, max: start + span });
  };
  const reset = (): void => {
    const chart = plot.current;
    if (chart === null) return;
    if (xMin !== undefined && xMax !== undefined) chart.setScale('x', { min: xMin, max: xMax });
    else chart.setData(data, true);
  };

  return (
    <>
      <div ref={box} className="chart" role="img" aria-label={label} />
      {readout && <ChartReadout readout={readoutAt(options.series, data, cursor)} />}
      {zoomControls && (
        <div className="toolbar zoom" role="group" aria-label="Zoom and pan the chart">
          <button type="button" className="button secondary small" onClick={() => view(1, -0.5)} aria-label="Pan left">
            ←
          </button>
          <button type="button" className="button secondary small" onClick={() => view(0.5, 0)} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="button secondary small" onClick={() => view(2, 0)} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="button secondary small" onClick={() => view(1, 0.5)} aria-label="Pan right">
            →
          </button>
          <button type="button" className="button secondary small" onClick={reset}>
            Reset zoom
          </button>
        </div>
      )}
    </>
  );
}

/**
 * A double-click (a double tap on a phone) shows the whole `range()`, as Reset zoom does. uPlot's
 * own fits the x axis to the data: today's chart shrank to the hours so far, or to one minute
 * when there was one reading, and two quick taps for a value did that on a phone.
 */
function doubleClickShowsRange(options: TimeChartProps['options'], range: () => TimeChartProps['xRange']): TimeChartProps['options'] {
  const cursor = options.cursor ?? {};
  const dblclick: uPlot.Cursor.MouseListenerFactory = (u, _target, uplotsOwn) => (event) => {
    const whole = range();
    if (whole === undefined) return uplotsOwn(event);
    u.setScale('x', { min: whole[0], max: whole[1] });
    return null;
  };
  return { ...options, cursor: { ...cursor, bind: { ...cursor.bind, dblclick } } };
}
