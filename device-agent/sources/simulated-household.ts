// A deterministic simulated household: the default source for demos, tests and load.
//
// Energy counters use step integration, and it is exact: power is constant within each
// 10-second slot, so energy = Σ power(slot) × time spent in the slot. Sums are kept in integer
// deci-watt-milliseconds, so the agent's running counter and `simulatedEnergyCounterWh` agree to
// the last bit no matter how the interval was split into polls.
import type { Measurement } from '../../proto/container.js';
import { deviceDeciWatts } from './device-loads.js';
import { findDevice, planHousehold, type HouseholdOptions, type HouseholdPlan, type SimulatedDevice } from './household-plan.js';
import { localSlot, SLOT_MS, slotOf } from './local-slot.js';
import type { MeterSource } from './meter-source.js';
import { between, unitHash } from './seeded-hash.js';

/** 1 Wh = 10 dW × 3,600,000 ms. */
const DECI_WATT_MS_PER_WH = 36_000_000;

function deciWattsAt(plan: HouseholdPlan, device: SimulatedDevice, timeMs: number): number {
  return deviceDeciWatts(device, localSlot(slotOf(timeMs), plan.utcOffsetMinutes));
}

/** Exact integral over [fromMs, toMs) in deci-watt-milliseconds (an integer). */
function integralDeciWattMs(plan: HouseholdPlan, device: SimulatedDevice, fromMs: number, toMs: number): number {
  let total = 0;
  for (let startMs = fromMs; startMs < toMs; ) {
    const slotEndMs = (slotOf(startMs) + 1) * SLOT_MS;
    const endMs = Math.min(slotEndMs, toMs);
    total += deciWattsAt(plan, device, startMs) * (endMs - startMs);
    startMs = endMs;
  }
  return total;
}

/** Where a device's counter stands before the simulation starts (a plug that has been in use). */
function initialDeciWattMs(device: SimulatedDevice): number {
  return Math.round(unitHash(device.key, 100, 0) * 20_000) * DECI_WATT_MS_PER_WH;
}

/** Active power of a device at `timeMs`, in watts (0.1 W resolution). */
export function simulatedPowerW(plan: HouseholdPlan, deviceId: string, timeMs: number): number {
  return deciWattsAt(plan, findDevice(plan, deviceId), timeMs) / 10;
}

/** Energy a device used in [fromMs, toMs), in watt-hours. */
export function simulatedEnergyWh(plan: HouseholdPlan, deviceId: string, fromMs: number, toMs: number): number {
  return integralDeciWattMs(plan, findDevice(plan, deviceId), fromMs, toMs) / DECI_WATT_MS_PER_WH;
}

/** The energy_wh a source started at `originMs` reports at `timeMs`. */
export function simulatedEnergyCounterWh(plan: HouseholdPlan, deviceId: string, originMs: number, timeMs: number): number {
  const device = findDevice(plan, deviceId);
  return (initialDeciWattMs(device) + integralDeciWattMs(plan, device, originMs, timeMs)) / DECI_WATT_MS_PER_WH;
}

/** Mains voltage: about 230 V, dipping a few volts at the evening peak, with a little noise. */
export function simulatedVoltageV(plan: HouseholdPlan, timeMs: number): number {
  const at = localSlot(slotOf(timeMs), plan.utcOffsetMinutes);
  const eveningPeak = Math.exp(-(((at.minuteOfDay - 19 * 60) / 120) ** 2));
  const volts = between(plan.mainsKey, 1, 0, 229, 233) - 4 * eveningPeak + (unitHash(plan.mainsKey, 2, at.slot) - 0.5);
  return Math.round(volts * 10) / 10;
}

export interface SimulatedHouseholdOptions extends HouseholdOptions {
  /** Where the energy counters start integrating; default: the first read. */
  readonly energyOriginMs?: number;
}

export interface SimulatedHousehold extends MeterSource {
  readonly plan: HouseholdPlan;
}

interface CounterState {
  readonly device: SimulatedDevice;
  deciWattMs: number;
  cursorMs: number | undefined;
}

export function createSimulatedHousehold(options: SimulatedHouseholdOptions): SimulatedHousehold {
  const plan = planHousehold(options);
  const counters: CounterState[] = plan.devices.map((device) => ({
    device,
    deciWattMs: initialDeciWattMs(device),
    cursorMs: options.energyOriginMs,
  }));
  return {
    name: 'simulated',
    plan,
    read(nowMs) {
      const measurements: Measurement[] = [];
      for (const counter of counters) {
        // A clock that steps back leaves the counter where it is: counters are monotone.
        if (counter.cursorMs === undefined) counter.cursorMs = nowMs;
        if (nowMs > counter.cursorMs) {
          counter.deciWattMs += integralDeciWattMs(plan, counter.device, counter.cursorMs, nowMs);
          counter.cursorMs = nowMs;
        }
        const deviceId = counter.device.id;
        const powerW = deciWattsAt(plan, counter.device, nowMs) / 10;
        measurements.push({ deviceId, quantity: 'power_w', value: powerW, timestampMs: nowMs });
        measurements.push({ deviceId, quantity: 'energy_wh', value: counter.deciWattMs / DECI_WATT_MS_PER_WH, timestampMs: nowMs });
      }
      measurements.push({ deviceId: plan.mainsId, quantity: 'voltage_v', value: simulatedVoltageV(plan, nowMs), timestampMs: nowMs });
      return Promise.resolve(measurements);
    },
  };
}
