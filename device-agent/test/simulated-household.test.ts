import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../proto/container.js';
import { HOSTILE_DEVICE_IDS } from '../sources/hostile-device-ids.js';
import { planHousehold, readingsPerSample } from '../sources/household-plan.js';
import {
  createSimulatedHousehold,
  simulatedEnergyCounterWh,
  simulatedEnergyWh,
  simulatedPowerW,
  simulatedVoltageV,
} from '../sources/simulated-household.js';

const MONDAY = Date.UTC(2024, 0, 15); // a winter Monday, 00:00 UTC
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function powerSeries(seed: number, deviceId: string, fromMs: number, toMs: number, stepMs = 10_000): number[] {
  const plan = planHousehold({ seed, devices: 8 });
  const values: number[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) values.push(simulatedPowerW(plan, deviceId, t));
  return values;
}

function valueOf(measurements: Measurement[], deviceId: string, quantity: string): number | undefined {
  return measurements.find((m) => m.deviceId === deviceId && m.quantity === quantity)?.value;
}

describe('simulated household', () => {
  it('when read with the same seed and times, then it yields identical readings', async () => {
    const a = createSimulatedHousehold({ seed: 42, energyOriginMs: MONDAY });
    const b = createSimulatedHousehold({ seed: 42, energyOriginMs: MONDAY });
    for (const t of [MONDAY + 7 * 3600_000, MONDAY + 19 * 3600_000]) expect(await a.read(t)).toEqual(await b.read(t));
  });

  it('when seeds differ, then households differ', () => {
    expect(powerSeries(1, 'fridge', MONDAY, MONDAY + DAY)).not.toEqual(powerSeries(2, 'fridge', MONDAY, MONDAY + DAY));
  });

  it('yields power and energy per socket plus mains voltage, stamped with the read time', async () => {
    for (const devices of [5, 14]) {
      const source = createSimulatedHousehold({ seed: 7, devices });
      const readings = await source.read(MONDAY);
      expect(readings).toHaveLength(readingsPerSample(devices));
      expect(readings.every((m) => m.timestampMs === MONDAY && Number.isFinite(m.value))).toBe(true);
      expect(readings.filter((m) => m.quantity === 'power_w')).toHaveLength(devices);
      expect(readings.filter((m) => m.quantity === 'energy_wh')).toHaveLength(devices);
      expect(readings.filter((m) => m.quantity === 'voltage_v').map((m) => m.deviceId)).toEqual(['mains']);
    }
    expect(readingsPerSample(5)).toBe(11);
    expect(planHousehold({ seed: 1, devices: 10 }).devices.map((d) => d.id)).toEqual([
      'fridge', 'router', 'hob', 'washing-machine', 'dishwasher', 'oven', 'lighting', 'tv', 'socket-09', 'socket-10',
    ]);
  });

  it('accepts hostile device ids and reports them unchanged', async () => {
    const source = createSimulatedHousehold({ seed: 3, deviceIds: HOSTILE_DEVICE_IDS });
    const ids = new Set((await source.read(MONDAY)).map((m) => m.deviceId));
    expect(ids).toEqual(new Set([...HOSTILE_DEVICE_IDS, 'mains']));
  });

  it('refuses duplicate, empty and over-long device ids', () => {
    expect(() => planHousehold({ seed: 1, deviceIds: ['a', 'a'] })).toThrow(/duplicate/);
    expect(() => planHousehold({ seed: 1, deviceIds: [''] })).toThrow(/1\.\.128/);
    expect(() => planHousehold({ seed: 1, deviceIds: ['x'.repeat(129)] })).toThrow(/1\.\.128/);
    expect(() => planHousehold({ seed: 1, deviceIds: ['mains'] })).toThrow(/duplicate/);
  });

  it('has a standby load of 40–80 W and a fridge cycling between ~1.5 W and 90–120 W', () => {
    const standby = powerSeries(5, 'router', MONDAY, MONDAY + DAY);
    expect(Math.min(...standby)).toBeGreaterThanOrEqual(38);
    expect(Math.max(...standby)).toBeLessThanOrEqual(82);
    const fridge = powerSeries(5, 'fridge', MONDAY, MONDAY + DAY);
    const on = fridge.filter((w) => w > 50);
    expect(Math.min(...on)).toBeGreaterThanOrEqual(87);
    expect(Math.max(...on)).toBeLessThanOrEqual(123);
    expect(on.length / fridge.length).toBeGreaterThan(12 / 50);
    expect(on.length / fridge.length).toBeLessThan(18 / 37);
    const switchOns = fridge.filter((w, i) => w > 50 && (fridge[i - 1] ?? 0) < 50).length;
    expect(switchOns).toBeGreaterThanOrEqual(Math.floor((24 * 60) / 53));
    expect(switchOns).toBeLessThanOrEqual(Math.ceil((24 * 60) / 37) + 1);
  });

  it('cooks with 1.5–3 kW only around meals, and runs the washing machine a few times a week', () => {
    const nearMeal = (hour: number): boolean =>
      (hour >= 6.5 && hour < 9) || (hour >= 11.75 && hour < 13.6) || (hour >= 17.5 && hour < 20.3);
    const peaks: { watts: number; hour: number }[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planHousehold({ seed, devices: 8 });
      for (let t = MONDAY; t < MONDAY + DAY; t += 10_000) {
        const watts = simulatedPowerW(plan, 'hob', t);
        if (watts >= 100) peaks.push({ watts, hour: (t - MONDAY) / 3600_000 });
      }
    }
    const hobPeaks = peaks.length;
    expect(peaks.filter((p) => p.watts < 1500 || p.watts > 3000 || !nearMeal(p.hour))).toEqual([]);
    expect(hobPeaks).toBeGreaterThan(0);
    const plan = planHousehold({ seed: 9, devices: 8 });
    let washDays = 0;
    for (let day = 0; day < 8 * 7; day++) {
      const start = MONDAY + day * DAY;
      const maxW = Math.max(...Array.from({ length: 24 * 12 }, (_, m) => simulatedPowerW(plan, 'washing-machine', start + m * 5 * MINUTE)));
      if (maxW > 1800) washDays++;
    }
    expect(washDays).toBeGreaterThanOrEqual(8 * 1);
    expect(washDays).toBeLessThanOrEqual(8 * 6);
  });

  it('keeps mains voltage near 230 V', () => {
    const plan = planHousehold({ seed: 11 });
    for (let t = MONDAY; t < MONDAY + DAY; t += 60_000) {
      const volts = simulatedVoltageV(plan, t);
      expect(volts).toBeGreaterThan(224);
      expect(volts).toBeLessThan(234);
    }
  });

  it('when polled, then energy counters only grow and equal the exact step integral of power', async () => {
    const source = createSimulatedHousehold({ seed: 21, devices: 8, energyOriginMs: MONDAY });
    const previous = new Map<string, number>();
    const decreases: string[] = [];
    for (let t = MONDAY; t <= MONDAY + DAY; t += 5000 + (t % 7)) {
      const readings = await source.read(t);
      for (const device of source.plan.devices) {
        const counter = valueOf(readings, device.id, 'energy_wh') ?? Number.NaN;
        if (!(counter >= (previous.get(device.id) ?? 0))) decreases.push(`${device.id}@${t}`);
        previous.set(device.id, counter);
      }
    }
    expect(decreases).toEqual([]);
    // Exact, not approximately equal: both sum integer deci-watt-milliseconds.
    const last = await source.read(MONDAY + DAY + 1);
    for (const device of source.plan.devices) {
      expect(valueOf(last, device.id, 'energy_wh')).toBe(simulatedEnergyCounterWh(source.plan, device.id, MONDAY, MONDAY + DAY + 1));
    }
    const usedWh = simulatedEnergyWh(source.plan, 'fridge', MONDAY, MONDAY + DAY);
    expect(usedWh).toBeGreaterThan(24 * 90 * (12 / 50));
    expect(usedWh).toBeLessThan(24 * 123 * (18 / 37) + 50);
  });

  it('splits energy additively: [a, c) = [a, b) + [b, c), and 1 h at constant power is power × 1 h', () => {
    const plan = planHousehold({ seed: 4 });
    const a = MONDAY + 3 * 3600_000 + 1234;
    const b = a + 7 * 60_000 + 567;
    const c = b + 3600_000;
    expect(simulatedEnergyWh(plan, 'router', a, b) + simulatedEnergyWh(plan, 'router', b, c)).toBeCloseTo(
      simulatedEnergyWh(plan, 'router', a, c),
      9,
    );
    const slot = Math.floor(a / 10_000) * 10_000;
    expect(simulatedEnergyWh(plan, 'router', slot, slot + 10_000)).toBeCloseTo((simulatedPowerW(plan, 'router', slot) * 10) / 3600, 12);
  });

  it('when the clock steps back, then counters stay where they were', async () => {
    const source = createSimulatedHousehold({ seed: 8 });
    const before = valueOf(await source.read(MONDAY + 3600_000), 'fridge', 'energy_wh');
    await source.read(MONDAY + 7200_000);
    const stepped = valueOf(await source.read(MONDAY + 3600_000), 'fridge', 'energy_wh') ?? 0;
    expect(stepped).toBeGreaterThanOrEqual(before ?? 0);
  });
});
