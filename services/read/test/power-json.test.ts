import { describe, expect, it } from 'vitest';
import { powerHistoryJson } from '../http/power-json.js';
import type { PowerHistory } from '../use-cases/power-history.js';

const history = (overrides: Partial<PowerHistory> = {}): PowerHistory => ({
  resolutionMs: 60_000,
  fromMs: 1_795_380_360_000,
  toMs: 1_795_466_761_125,
  sources: [
    { source: 'rollup_1m', fromMs: 1_795_380_360_000, toMs: 1_795_466_640_000 },
    { source: 'raw', fromMs: 1_795_466_640_000, toMs: 1_795_466_761_125 },
  ],
  series: [
    { device: 'fridge', points: [{ t: 1_795_380_360_000, mean: 94.81666666666666, max: 96.8 }, { t: 1_795_380_420_000, mean: 0.1 + 0.2, max: -0 }] },
    { device: 'Küche "Herd", Ofen=1 \\ \u0000\u2028', points: [{ t: 1_795_380_360_000, mean: 1e21, max: 5e-7 }] },
  ],
  total: [
    { t: 1_795_380_360_000, mean: 1e21 + 94.81666666666666 },
    { t: 1_795_380_420_000, mean: 0.30000000000000004 },
  ],
  ...overrides,
});

const reference = (h: PowerHistory, resolutionS: number): string => JSON.stringify({ ...h, resolutionS });

describe('power history as JSON text', () => {
  it('is exactly what JSON.stringify writes, hostile device names and float noise included', () => {
    const h = history();
    expect(powerHistoryJson(h, 60)).toBe(reference(h, 60));
  });

  it('writes non-finite numbers as null, as JSON.stringify does', () => {
    const h = history({ series: [{ device: 'd', points: [{ t: 1, mean: Number.NaN, max: Number.POSITIVE_INFINITY }] }], total: [{ t: 1, mean: Number.NEGATIVE_INFINITY }] });
    expect(powerHistoryJson(h, 0.001)).toBe(reference(h, 0.001));
    expect(JSON.parse(powerHistoryJson(h, 0.001))).toMatchObject({ series: [{ points: [{ mean: null, max: null }] }], total: [{ mean: null }] });
  });

  it('when series are split per agent, then each names its agent, as JSON.stringify writes it', () => {
    const points = [{ t: 1_795_380_360_000, mean: 94.8, max: 96.8 }];
    const h = history({ series: [{ device: 'fridge', agent: 'a1', points }, { device: 'fridge', agent: 'a-2_x', points: [{ t: 1, mean: 0.1 + 0.2, max: 1e21 }] }] });
    expect(powerHistoryJson(h, 60)).toBe(reference(h, 60));
    expect(JSON.parse(powerHistoryJson(h, 60))).toMatchObject({ series: [{ device: 'fridge', agent: 'a1' }, { device: 'fridge', agent: 'a-2_x' }] });
  });

  it('handles a history without devices', () => {
    const h = history({ series: [], total: [], sources: [] });
    expect(powerHistoryJson(h, 3600)).toBe(reference(h, 3600));
  });

  it('gives the same text when the same point objects come back on a later request', () => {
    const points = Array.from({ length: 500 }, (_, i) => ({ t: i * 60_000, mean: Math.random() * 3000, max: Math.random() * 3000 }));
    const first = history({ series: [{ device: 'd', points }], total: [] });
    const again = history({ series: [{ device: 'd', points: points.slice(100) }], total: [] });
    expect(powerHistoryJson(first, 60)).toBe(reference(first, 60));
    expect(powerHistoryJson(again, 60)).toBe(reference(again, 60));
  });
});
