import { describe, expect, it } from 'vitest';
import type { SecondSample } from '../per-second.js';
import { niceCeiling, renderChartSvg } from '../svg-chart.js';

const sample = (second: number, acked: number, p99Ms: number): SecondSample => ({ second, sent: acked, acked, stored: acked, p50Ms: p99Ms / 2, p99Ms, maxMs: p99Ms });

describe('svg chart', () => {
  it('when two targets are drawn, then each gets rate and latency lines and a legend entry', () => {
    const svg = renderChartSvg('compare <run>', [
      { name: 'energymonitor broker', samples: [sample(0, 900, 2), sample(1, 1000, 3)] },
      { name: 'mosquitto', samples: [sample(0, 800, 1), sample(1, 950, NaN)] },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('compare &lt;run&gt;');
    expect(svg.match(/<path /g)).toHaveLength(8);
    for (const label of ['energymonitor broker acked/s', 'mosquitto stored/s', 'mosquitto p99', 'energymonitor broker p50']) expect(svg).toContain(label);
    expect(svg).not.toContain('NaN');
  });

  it('when the rate peaks at 1,000/s, then the axis tops at 1k', () => {
    const svg = renderChartSvg('t', [{ name: 'b', samples: [sample(0, 400, 1), sample(1, 1000, 1)] }]);
    expect(svg).toContain('>1k /s<');
  });

  it('when a second has no latency (NaN), then the axis still scales to the finite values', () => {
    const svg = renderChartSvg('t', [{ name: 'b', samples: [sample(0, 10, 40), sample(1, 0, NaN)] }]);
    expect(svg).toContain('>50 ms<');
  });

  it('when a run has no samples, then it still renders a valid empty chart', () => {
    const svg = renderChartSvg('empty', [{ name: 'b', samples: [] }]);
    expect(svg).toContain('</svg>');
    expect(svg).not.toContain('NaN');
  });

  it.each([
    [0, 1],
    [0.3, 0.5],
    [7, 10],
    [1000, 1000],
    [1001, 2000],
    [34_000, 50_000],
  ])('niceCeiling(%d) = %d', (max, expected) => {
    expect(niceCeiling(max)).toBeCloseTo(expected);
  });
});
