import { describe, expect, it } from 'vitest';
import { parseCpuTicks, readCpuTicks, stealShare } from './machine-steal.js';

describe('machine steal', () => {
  it('when /proc/stat is read, then the cpu line gives total and steal ticks', () => {
    const stat = 'cpu  4299511 11826 729726 12737765 70891 0 88719 232301 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2\n';
    expect(parseCpuTicks(stat)).toEqual({ total: 4299511 + 11826 + 729726 + 12737765 + 70891 + 0 + 88719 + 232301, steal: 232301 });
  });

  it('when the cpu line is missing or short, then there is no reading', () => {
    expect(parseCpuTicks('intr 1 2\n')).toBeUndefined();
    expect(parseCpuTicks('cpu  1 2 3\n')).toBeUndefined();
  });

  it('when two readings are compared, then steal is its share of all ticks between them', () => {
    expect(stealShare({ total: 1000, steal: 10 }, { total: 3000, steal: 110 })).toBeCloseTo(0.05);
    expect(stealShare({ total: 1000, steal: 10 }, { total: 1000, steal: 10 })).toBeNaN();
    expect(stealShare(undefined, { total: 1, steal: 0 })).toBeNaN();
  });

  it('reads this machine', () => {
    const ticks = readCpuTicks();
    expect(ticks?.total).toBeGreaterThan(0);
  });
});
