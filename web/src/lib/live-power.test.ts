import { describe, expect, it } from 'vitest';
import { applyContainer, currentTotal, EMPTY_LIVE_POWER, seedFromHistory } from './live-power';

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

  it('when two agents of the household report the same device id, then each is its own series: the device is their sum, the total the sum of every series', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a1', seq: 1, readings: [reading('fridge', 100, 1000), reading('router', 10, 1000)] }, 60_000);
    state = applyContainer(state, { agent: 'a2', seq: 1, readings: [reading('fridge', 300, 1500), reading('router', 12, 1500)] }, 60_000);
    state = applyContainer(state, { agent: 'a1', seq: 2, readings: [reading('fridge', 110, 2000), reading('router', 10, 2000)] }, 60_000);
    expect(state.totals).toEqual([
      [1000, 110],
      [1500, 422],
      [2000, 432],
    ]);
    expect(state.devices.get('fridge')).toEqual({ device: 'fridge', watts: 410, ts: 2000 });
    expect(state.devices.get('router')?.watts).toBe(22);
    expect(currentTotal(state)).toBe(432);
  });

  it('when containers of two agents sampling at different instants interleave, then the total does not jump between one agent and the other', () => {
    let state = EMPTY_LIVE_POWER;
    for (let n = 0; n < 5; n++) {
      state = applyContainer(state, { agent: 'a1', seq: n, readings: [reading('hob', 40, n * 1000)] }, 60_000);
      state = applyContainer(state, { agent: 'a2', seq: n, readings: [reading('hob', 360, n * 1000 + 500)] }, 60_000);
    }
    expect(state.totals.slice(1).map(([, w]) => w)).toEqual(Array(9).fill(400));
  });

  it('when one of two agents reporting a device falls silent for minutes, then only the other counts', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a1', seq: 1, readings: [reading('fridge', 100, 0)] }, 3_600_000);
    state = applyContainer(state, { agent: 'a2', seq: 1, readings: [reading('fridge', 30, 0)] }, 3_600_000);
    state = applyContainer(state, { agent: 'a2', seq: 2, readings: [reading('fridge', 35, 600_000)] }, 3_600_000);
    expect(currentTotal(state)).toBe(35);
    expect(state.devices.get('fridge')?.watts).toBe(35);
  });

  it('when a device on two agents is seeded per agent and one agent publishes, then the device and the total are that live value plus the other agent\'s seed', () => {
    let state = seedFromHistory(
      EMPTY_LIVE_POWER,
      [{ t: 10_000, mean: 500 }],
      [
        { device: 'fridge', agent: 'a1', points: [{ t: 10_000, mean: 150 }] },
        { device: 'fridge', agent: 'a2', points: [{ t: 10_000, mean: 250 }] },
        { device: 'tv', agent: 'a1', points: [{ t: 10_000, mean: 100 }] },
      ],
    );
    expect(state.devices.get('fridge')?.watts).toBe(400);
    expect(currentTotal(state)).toBe(500);
    state = applyContainer(state, { agent: 'a1', seq: 1, readings: [reading('fridge', 160, 12_000)] }, 60_000);
    expect(state.devices.get('fridge')).toEqual({ device: 'fridge', watts: 160 + 250, ts: 12_000 });
    expect(currentTotal(state)).toBe(160 + 250 + 100);
    expect(state.totals).toEqual([
      [10_000, 500],
      [12_000, 510],
    ]);
    // The other agent's live reading replaces its own seed only.
    state = applyContainer(state, { agent: 'a2', seq: 1, readings: [reading('fridge', 240, 12_500)] }, 60_000);
    expect(state.devices.get('fridge')?.watts).toBe(400);
    expect(currentTotal(state)).toBe(500);
  });

  it('when an agent\'s series is already live, then a later per-agent seed keeps the live value for that series and seeds only the others', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a1', seq: 1, readings: [reading('fridge', 160, 10_500)] }, 60_000);
    state = seedFromHistory(
      state,
      [{ t: 10_000, mean: 400 }],
      [
        { device: 'fridge', agent: 'a1', points: [{ t: 10_000, mean: 150 }] },
        { device: 'fridge', agent: 'a2', points: [{ t: 10_000, mean: 250 }] },
      ],
    );
    expect(state.totals).toEqual([
      [10_000, 400],
      [10_500, 410],
    ]);
    expect(state.devices.get('fridge')?.watts).toBe(410);
  });

  it('when seeded from an answer without agents (its series sum a device\'s agents), then a seeded device counts until its first live reading, and live series are kept', () => {
    let state = applyContainer(EMPTY_LIVE_POWER, { agent: 'a1', seq: 1, readings: [reading('tv', 80, 10_500)] }, 60_000);
    state = seedFromHistory(
      state,
      [{ t: 10_000, mean: 500 }],
      [
        { device: 'fridge', points: [{ t: 10_000, mean: 400 }] },
        { device: 'tv', points: [{ t: 10_000, mean: 100 }] },
      ],
    );
    expect(state.totals).toEqual([
      [10_000, 500],
      [10_500, 480],
    ]);
    expect(state.devices.get('fridge')?.watts).toBe(400);
    state = applyContainer(state, { agent: 'a1', seq: 2, readings: [reading('tv', 90, 11_000)] }, 60_000);
    expect(currentTotal(state)).toBe(490);
    state = applyContainer(state, { agent: 'a2', seq: 1, readings: [reading('fridge', 150, 12_000)] }, 60_000);
    state = applyContainer(state, { agent: 'a3', seq: 1, readings: [reading('fridge', 250, 12_500)] }, 60_000);
    expect(currentTotal(state)).toBe(490);
    expect(state.devices.get('fridge')?.watts).toBe(400);
  });
});
