import { describe, expect, it } from 'vitest';
import { dayKey, HouseholdReadings } from '../domain/household-readings.js';

const T0 = Date.parse('2026-03-29T10:00:00Z');

describe('household readings', () => {
  it('when a warm-start seed meets live data, then the newer power and last-seen win and the day energy is taken once', () => {
    const r = new HouseholdReadings('Europe/Berlin');
    r.observe({ deviceId: 'oven', quantity: 'power_w', value: 900, timestampMs: T0 }, T0);
    r.seed({ devices: new Map([['oven', { lastSeenMs: T0 - 60_000, powerW: 100, powerAtMs: T0 - 60_000, counterWh: 500, counterAtMs: T0 - 60_000 }]]), day: dayKey(T0, 'Europe/Berlin'), dayWh: 1_200 });
    expect(r.powerW(undefined, T0, 300_000)).toBe(900);
    expect(r.devices.get('oven')?.lastSeenMs).toBe(T0);
    r.seed({ devices: new Map(), day: dayKey(T0, 'Europe/Berlin'), dayWh: 5_000 });
    expect(r.dayWh(T0)).toBe(1_200);
    r.observe({ deviceId: 'oven', quantity: 'energy_wh', value: 800, timestampMs: T0 + 1_000 }, T0 + 1_000);
    expect(r.dayWh(T0 + 1_000)).toBe(1_500);
  });

  it('when an older counter reading arrives late, then it is ignored', () => {
    const r = new HouseholdReadings('UTC');
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 100, timestampMs: T0 }, T0);
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 300, timestampMs: T0 + 60_000 }, T0 + 60_000);
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 200, timestampMs: T0 + 30_000 }, T0 + 61_000);
    r.observe({ deviceId: 'plug', quantity: 'energy_wh', value: 350, timestampMs: T0 + 90_000 }, T0 + 90_000);
    expect(r.dayWh(T0 + 90_000)).toBe(250);
  });

  it('when the local date is asked for around a DST change, then it follows the zone', () => {
    expect(dayKey(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(dayKey(Date.parse('2026-03-28T23:30:00Z'), 'America/New_York')).toBe('2026-03-28');
    expect(dayKey(Date.parse('2026-10-25T22:59:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
  });
});
