import { describe, expect, it } from 'vitest';
import { cpuSecondsOf, startCpuMeter } from './process-cpu.js';

describe('process CPU from /proc', () => {
  it('when this process burns CPU, then its share of a core is positive and at most the cores it could use', () => {
    const meter = startCpuMeter({ self: process.pid, gone: 2 ** 22 + 12345 });
    const until = performance.now() + 100;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const shares = meter.stop();
    expect(x).toBeGreaterThan(0);
    expect(shares.self).toBeGreaterThan(0);
    expect(shares.self).toBeLessThanOrEqual(4);
    expect(shares).not.toHaveProperty('gone');
  });

  it('when the process does not exist, then there is no reading', () => {
    expect(cpuSecondsOf(2 ** 22 + 12345)).toBeUndefined();
  });
});
