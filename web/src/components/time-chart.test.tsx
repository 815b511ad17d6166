import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type uPlot from 'uplot';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeChart } from './time-chart';

// jsdom has no canvas: a stand-in for uPlot that keeps the x scale as uPlot does (setData with
// resetScales spans the data, setScale sets it), records the charts made, and moves its cursor as
// a hover or a tap does (cursor.idx, then the setCursor hooks of its plugins).
const { charts, FakePlot } = vi.hoisted(() => {
  type Hook = (u: unknown) => void;
  const made: Fake[] = [];
  class Fake {
    scales: { x: { min?: number; max?: number } } = { x: {} };
    cursor: { idx?: number | null; idxs?: (number | null)[] } = {};
    hooks: Hook[];
    dblclick: ((e: MouseEvent) => null) | null;
    ownDoubleClicks = 0;
    constructor(options: uPlot.Options, data: uPlot.AlignedData) {
      this.hooks = (options.plugins ?? []).flatMap((p) => (typeof p.hooks.setCursor === 'function' ? [p.hooks.setCursor as Hook] : []));
      // uPlot binds its double-click handler through cursor.bind, as here.
      const own = (): null => {
        this.ownDoubleClicks++;
        return null;
      };
      this.dblclick = options.cursor?.bind?.dblclick?.(this as unknown as uPlot, document.body, own) ?? own;
      this.setData(data, true);
      made.push(this);
    }
    setData(data: uPlot.AlignedData, resetScales = true): void {
      const xs = data[0] as readonly number[];
      if (resetScales && xs.length > 0) this.scales.x = { min: xs[0], max: xs[xs.length - 1] };
    }
    setScale(_key: 'x', { min, max }: { min: number; max: number }): void {
      this.scales.x = { min, max };
    }
    /** The cursor over data point `idx` (null: it left the chart); `chosen`: what dataIdx made of it. */
    moveCursor(idx: number | null, chosen: number | null = idx): void {
      this.cursor = { idx, idxs: [chosen] };
      this.hooks.forEach((h) => h(this));
    }
    doubleClick(): void {
      this.dblclick?.(new MouseEvent('dblclick'));
    }
    setSize(): void {}
    destroy(): void {}
  }
  return { charts: made, FakePlot: Fake };
});
vi.mock('uplot', () => ({ default: FakePlot }));
globalThis.ResizeObserver ??= class {
  observe(): void {}
  disconnect(): void {}
  unobserve(): void {}
};

const DAY: readonly [number, number] = [0, 86_400];
const NEXT_DAY: readonly [number, number] = [86_400, 172_800];
const options = { series: [{}, { label: 'power' }] };
const chart = (data: uPlot.AlignedData, xRange: readonly [number, number], optionsKey = 'a') => (
  <TimeChart options={options} optionsKey={optionsKey} data={data} height={100} label="Power" xRange={xRange} zoomControls />
);
const shown = (): { min?: number; max?: number } => charts[charts.length - 1]!.scales.x;

describe('TimeChart', () => {
  beforeEach(() => {
    charts.length = 0;
  });

  it('when it is drawn, then it shows the whole given range, not only the span of the data', () => {
    render(chart([[3600, 7200], [1, 2]], DAY));
    expect(shown()).toEqual({ min: 0, max: 86_400 });
  });

  it("when new data comes for the same range, then the user's zoom stays", async () => {
    const { rerender } = render(chart([[3600, 7200], [1, 2]], DAY));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(shown()).toEqual({ min: 21_600, max: 64_800 });

    rerender(chart([[3600, 7200, 10_800], [1, 2, 3]], DAY));
    expect(shown()).toEqual({ min: 21_600, max: 64_800 });
    expect(charts).toHaveLength(1);
  });

  it('when the range changes, the chart is rebuilt or Reset zoom is pressed, then the whole range is shown', async () => {
    const { rerender } = render(chart([[3600], [1]], DAY));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    rerender(chart([[90_000], [1]], NEXT_DAY));
    expect(shown()).toEqual({ min: 86_400, max: 172_800 });

    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    rerender(chart([[90_000], [1]], NEXT_DAY, 'b'));
    expect(charts).toHaveLength(2);
    expect(shown()).toEqual({ min: 86_400, max: 172_800 });

    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    await userEvent.click(screen.getByRole('button', { name: 'Reset zoom' }));
    expect(shown()).toEqual({ min: 86_400, max: 172_800 });
  });

  it('when the chart is double-clicked (or double-tapped) while zoomed, then the whole range shows again, not only the span of the data', async () => {
    render(chart([[3600, 7200], [1, 2]], DAY));
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    act(() => charts[0]!.doubleClick());
    expect(shown()).toEqual({ min: 0, max: 86_400 });
    expect(charts[0]!.ownDoubleClicks).toBe(0);
  });

  it('when a chart without a given range is double-clicked, then uPlot does its own', () => {
    render(<TimeChart options={options} optionsKey="live" data={[[1, 2], [1, 2]]} height={100} label="Power" />);
    act(() => charts[0]!.doubleClick());
    expect(charts[0]!.ownDoubleClicks).toBe(1);
  });

  describe('readout', () => {
    const watts = (_u: uPlot, v: number | null): string => (v === null ? '–' : `${v} W`);
    const lines = {
      series: [
        { value: (_u: uPlot, x: number | null) => `at ${x}` },
        { label: 'Total', stroke: '#0b5d4b', value: watts },
        { label: 'Previous period', stroke: '#6b6b6b', dash: [6, 4], value: watts },
      ],
    };
    const data: uPlot.AlignedData = [
      [3600, 7200],
      [1500, 1800],
      [1400, null],
    ];
    const readout = (): string => screen.getByTestId('chart-readout').textContent ?? '';
    const move = (idx: number | null, chosen?: number | null) => act(() => charts[charts.length - 1]!.moveCursor(idx, chosen));

    it('when the cursor is on the chart (hover, or a tap), then the time and each value with its unit; off it, the names', () => {
      render(<TimeChart options={lines} optionsKey="r" data={data} height={100} label="Power" readout />);
      expect(readout()).toBe('Tap the chart for values: Total Previous period');
      move(1);
      expect(readout()).toBe('at 7200 Total 1800 W Previous period –');
      move(0);
      expect(readout()).toBe('at 3600 Total 1500 W Previous period 1400 W');
      move(null);
      expect(readout()).toBe('Tap the chart for values: Total Previous period');
    });

    it("when the options' dataIdx finds no point under the cursor (a gap between bars), then no values", () => {
      render(<TimeChart options={lines} optionsKey="r" data={data} height={100} label="Power" readout />);
      move(1, null);
      expect(readout()).toBe('Tap the chart for values: Total Previous period');
    });

    it('when the chart is rebuilt, then the old cursor is forgotten', () => {
      const { rerender } = render(<TimeChart options={lines} optionsKey="r" data={data} height={100} label="Power" readout />);
      move(1);
      rerender(<TimeChart options={lines} optionsKey="s" data={data} height={100} label="Power" readout />);
      expect(readout()).toBe('Tap the chart for values: Total Previous period');
    });

    it('when no readout is asked for, then none is shown', () => {
      render(<TimeChart options={lines} optionsKey="r" data={data} height={100} label="Power" />);
      expect(screen.queryByTestId('chart-readout')).toBeNull();
    });
  });
});
