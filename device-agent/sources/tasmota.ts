// Tasmota firmware plugs (Sonoff, Gosund, Nous …), HTTP command API:
//   GET http://HOST/cm?cmnd=Status%208
//   {"StatusSNS":{"Time":"…","ENERGY":{"Total":12.345,"Power":45,"Voltage":231,"Current":0.2,…}}}
// Power in W, Voltage in V, Current in A, Total in kWh (converted to Wh here). Multi-channel
// devices report arrays; the plug's channel picks the element.
import { z } from 'zod';
import type { Measurement } from '../../proto/container.js';
import { createHttpPlugSource, type HttpPlugSourceOptions } from './http-plug-source.js';
import type { MeterSource } from './meter-source.js';
import { parsePlugJson, PlugReadError } from './plug-read-error.js';

const perChannel = z.union([z.number(), z.array(z.number())]);

const status8 = z.object({
  StatusSNS: z.object({
    ENERGY: z.object({
      Total: perChannel,
      Power: perChannel,
      Voltage: perChannel.optional(),
      Current: perChannel.optional(),
    }),
  }),
});

export const TASMOTA_STATUS_PATH = '/cm?cmnd=Status%208';

function pick(value: number | number[], channel: number): number {
  if (typeof value === 'number') return value;
  const picked = value[channel];
  if (picked === undefined) throw new PlugReadError('unexpected-shape', `no channel ${channel} in [${value.join(',')}]`);
  return picked;
}

/** Measurements from a Status 8 response body; throws PlugReadError on a bad body. */
export function tasmotaMeasurements(body: string, deviceId: string, channel: number, nowMs: number): Measurement[] {
  const parsed = status8.safeParse(parsePlugJson(body));
  if (!parsed.success) throw new PlugReadError('unexpected-shape', z.prettifyError(parsed.error));
  const energy = parsed.data.StatusSNS.ENERGY;
  const at = { deviceId, timestampMs: nowMs };
  const measurements: Measurement[] = [
    { ...at, quantity: 'power_w', value: pick(energy.Power, channel) },
    // kWh with 3 decimals → Wh; rounding to mWh removes binary noise (12.345 × 1000 ≠ 12345).
    { ...at, quantity: 'energy_wh', value: Math.round(pick(energy.Total, channel) * 1e6) / 1e3 },
  ];
  if (energy.Voltage !== undefined) measurements.push({ ...at, quantity: 'voltage_v', value: pick(energy.Voltage, channel) });
  if (energy.Current !== undefined) measurements.push({ ...at, quantity: 'current_a', value: pick(energy.Current, channel) });
  return measurements;
}

export function createTasmotaSource(options: HttpPlugSourceOptions): MeterSource {
  return createHttpPlugSource('tasmota', options, {
    path: () => TASMOTA_STATUS_PATH,
    measurements: (body, plug, nowMs) => tasmotaMeasurements(body, plug.deviceId, plug.channel, nowMs),
  });
}
