import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type uPlot from 'uplot';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeChart } from './time-chart';

// jsdom has no canvas: a stand-in for uPlot that keeps the x scale as uPlot does (setData with
// resetScales spans the data, setScale sets it) and records the charts made.
const { charts, FakePlot } = vi.hoisted(() => {
  const made: { scales: { x: { min?: number; max?: number } } }[] = [];
  class Fake {
    scales: { x: { min?: number; max?: number } } = { x: {} };
    constructor(_options: unknown, data: uPlot.AlignedData) {
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
});
