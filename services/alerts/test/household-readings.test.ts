import { describe, expect, it } from 'vitest';
import { dayKey, HouseholdReadings } from '../domain/household-readings.js';

const T0 = Date.parse('2026-03-29T10:00:00Z');

describe('household readings', () => {
  it('when a warm-start seed meets live data, then the newer power and last-seen win and the day energy is taken once', () => {
    const r = new HouseholdReadings('Europe/Berlin');
    r.observe({ deviceId: 'oven', quantity: 'power_w', value: 900, timestampMs: T0 }, T0, 'a-1');
    r.seed({ series: [{ agentId: 'a-1', deviceId: 'oven', lastSeenMs: T0 - 60_000, powerW: 100, powerAtMs: T0 - 60_000, counterWh: 500, counterAtMs: T0 - 60_000 }], day: dayKey(T0, 'Europe/Berlin'), dayWh: 1_200 });
    expect(r.powerW(undefined, T0, 300_000)).toBe(900);
    expect(r.lastSeenMs('oven')).toBe(T0);
    r.seed({ series: [], day: dayKey(T0, 'Europe/Berlin'), dayWh: 5_000 });
    expect(r.dayWh(T0)).toBe(1_200);
    r.observe({ deviceId: 'oven', quantity: 'energy_wh', value: 800, timestampMs: T0 + 1_000 }, T0 + 1_000, 'a-1');
    expect(r.dayWh(T0 + 1_000)).toBe(1_500);
  });

  it('when an older counter reading arrives late, then it is ignored', () => {
    const r = new HouseholdReadings('UTC');
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 100, timestampMs: T0 }, T0, 'a-1');
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 300, timestampMs: T0 + 60_000 }, T0 + 60_000, 'a-1');
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 200, timestampMs: T0 + 30_000 }, T0 + 61_000, 'a-1');
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 350, timestampMs: T0 + 90_000 }, T0 + 90_000, 'a-1');
    expect(r.dayWh(T0 + 90_000)).toBe(250);
  });

  it('when two agents send the same device id, then seed and live data stay per series: power sums, counters difference apart', () => {
    const r = new HouseholdReadings('UTC');
    const w = (deviceId: string, value: number, atMs: number, agentId: string): void =>
      r.observe({ deviceId, quantity: 'power_w', value, timestampMs: atMs }, atMs, agentId);
    const wh = (value: number, atMs: number, agentId: string): void => r.observe({ deviceId: 'oven', quantity: 'energy_wh', value, timestampMs: atMs }, atMs, agentId);
    r.seed({
      series: [
        { agentId: 'a-1', deviceId: 'oven', lastSeenMs: T0 - 5_000, powerW: 1_000, powerAtMs: T0 - 5_000, counterWh: 7_000, counterAtMs: T0 - 5_000 },
        { agentId: 'a-2', deviceId: 'oven', lastSeenMs: T0 - 9_000, powerW: 200, powerAtMs: T0 - 9_000, counterWh: 40, counterAtMs: T0 - 9_000 },
      ],
      day: dayKey(T0, 'UTC'),
      dayWh: 0,
    });
    w('fridge', 80, T0, 'a-3');
    expect(r.powerW('oven', T0, 300_000)).toBe(1_200);
    expect(r.powerW(undefined, T0, 300_000)).toBe(1_280);
    expect(r.lastSeenMs('oven')).toBe(T0 - 5_000);
    expect(r.deviceIds().sort()).toEqual(['fridge', 'oven']);
    wh(7_100, T0 + 1_000, 'a-1'); // +100
    wh(60, T0 + 2_000, 'a-2'); // +20
    wh(3, T0 + 3_000, 'a-2'); // reset on a-2 only: +0
    wh(7_150, T0 + 4_000, 'a-1'); // +50
    expect(r.dayWh(T0 + 4_000)).toBe(170);
    // Moved to another zone, the series (and their counters) are kept.
    const moved = r.inTimeZone('Europe/Berlin');
    moved.observe({ deviceId: 'oven', quantity: 'energy_wh', value: 13, timestampMs: T0 + 5_000 }, T0 + 5_000, 'a-2');
    expect(moved.dayWh(T0 + 5_000)).toBe(10);
    expect(moved.powerW('oven', T0, 300_000)).toBe(1_200);
  });

  it('when the local date is asked for around a DST change, then it follows the zone', () => {
    expect(dayKey(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(dayKey(Date.parse('2026-03-28T23:30:00Z'), 'America/New_York')).toBe('2026-03-28');
    expect(dayKey(Date.parse('2026-10-25T22:59:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
  });
});
