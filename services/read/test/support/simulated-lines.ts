// Line protocol for a simulated household (device-agent/sources/simulated-household.ts), written
// straight to InfluxDB: power and energy counter of every device every `stepMs`, one seq per sample.
import { planHousehold, type HouseholdPlan } from '../../../../device-agent/sources/household-plan.js';
import { simulatedEnergyCounterWh, simulatedEnergyWh, simulatedPowerW } from '../../../../device-agent/sources/simulated-household.js';
import { appendContainerLines } from '../../../write/line-protocol.js';

export const PLAN: HouseholdPlan = planHousehold({ seed: 42, devices: 3, utcOffsetMinutes: 60 });

export function simulatedLines(opts: { householdId: string; agentId: string; fromMs: number; toMs: number; stepMs: number; originMs: number; skipSeqs?: (seq: number) => boolean }): string[] {
  const lines: string[] = [];
  let seq = 0;
  // Counters advance step by step: integrating from the origin at every sample would be quadratic.
  const counters = new Map(PLAN.devices.map((d) => [d.id, simulatedEnergyCounterWh(PLAN, d.id, opts.originMs, opts.fromMs)]));
  for (let t = opts.fromMs; t < opts.toMs; t += opts.stepMs) {
    seq += 1;
    if (t > opts.fromMs) for (const d of PLAN.devices) counters.set(d.id, (counters.get(d.id) ?? 0) + simulatedEnergyWh(PLAN, d.id, t - opts.stepMs, t));
    if (opts.skipSeqs?.(seq) === true) continue;
    const measurements = PLAN.devices.flatMap((d) => [
      { deviceId: d.id, quantity: 'power_w' as const, value: simulatedPowerW(PLAN, d.id, t), timestampMs: t },
      { deviceId: d.id, quantity: 'energy_wh' as const, value: counters.get(d.id) ?? 0, timestampMs: t },
    ]);
    appendContainerLines({ householdId: opts.householdId, agentId: opts.agentId, seq, createdAtMs: t, measurements }, lines);
  }
  return lines;
}

export async function writeInBatches(write: (lines: readonly string[]) => Promise<void>, lines: readonly string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 5000) await write(lines.slice(i, i + 5000));
}
