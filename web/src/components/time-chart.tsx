// A uPlot chart that follows its container's width. `options` (minus width/height) is fixed per
// `optionsKey`: when the key changes the chart is rebuilt, otherwise only the data is replaced,
// which keeps the user's zoom during live updates unless `resetScales` says otherwise.
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';

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
}

export function TimeChart({ options, optionsKey, data, height, label, resetScales = true, xRange }: TimeChartProps): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, options });
  useLayoutEffect(() => {
    latest.current = { data, options };
  });

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const width = Math.max(200, element.clientWidth);
    const chart = new uPlot({ ...latest.current.options, width, height }, latest.current.data, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [optionsKey, height]);

  const [xMin, xMax] = xRange ?? [undefined, undefined];
  useEffect(() => {
    const chart = plot.current;
    if (chart === null) return;
    chart.setData(data, resetScales);
    if (xMin !== undefined && xMax !== undefined) chart.setScale('x', { min: xMin, max: xMax });
  }, [data, resetScales, xMin, xMax, optionsKey]);

  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
