import { describe, expect, it } from 'vitest';
import { applyContainer, currentTotal, EMPTY_LIVE_POWER } from './live-power';

const reading = (device: string, value: number, ts: number, quantity = 'power_w') => ({ device, quantity, value, ts });

describe('live power', () => {
  it('when a container carries several sampling instants, then the total after each is the sum of the latest device values', () => {
    const state = applyContainer(
      EMPTY_LIVE_POWER,
      { agent: 'a1', seq: 1, readings: [reading('fridge', 100, 1000), reading('tv', 50, 1000), reading('fridge', 120, 2000), reading('tv', 230, 1000, 'voltage_v')] },
      60_000,
    );
    expect(state.totals).toEqual([
      [1000, 150],
      [2000, 170],
    ]);
    expect(currentTotal(state)).toBe(170);
    expect(state.devices.get('fridge')?.watts).toBe(120);
  });

  it('when points get older than the window, then they leave the chart', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a', seq: 1, readings: [reading('x', 1, 0)] }, 10_000);
    state = applyContainer(state, { agent: 'a', seq: 2, readings: [reading('x', 2, 5_000)] }, 10_000);
    state = applyContainer(state, { agent: 'a', seq: 3, readings: [reading('x', 3, 15_000)] }, 10_000);
    expect(state.totals.map(([t]) => t)).toEqual([5_000, 15_000]);
  });

  it('when a device has been silent for minutes, then it no longer counts toward the total', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a', seq: 1, readings: [reading('old', 500, 0)] }, 3_600_000);
    state = applyContainer(state, { agent: 'b', seq: 1, readings: [reading('new', 20, 600_000)] }, 3_600_000);
    expect(currentTotal(state)).toBe(20);
  });
});
