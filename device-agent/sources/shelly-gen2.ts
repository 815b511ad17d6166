// Shelly Gen2/Gen3 plugs and relays (Plus Plug S, Plus 1PM, Pro 4PM …), RPC over HTTP:
//   GET http://HOST/rpc/Switch.GetStatus?id=N
//   {"id":0,"output":true,"apower":112.4,"voltage":231.2,"current":0.513,"aenergy":{"total":5321.884,…},…}
// apower in W, voltage in V, current in A, aenergy.total in Wh (a counter kept by the device).
import { z } from 'zod';
import type { Measurement } from '../../proto/container.js';
import { createHttpPlugSource, type HttpPlugSourceOptions } from './http-plug-source.js';
import type { MeterSource } from './meter-source.js';
import type { PlugConfig } from './plug-config.js';
import { parsePlugJson, PlugReadError } from './plug-read-error.js';

const switchStatus = z.object({
  apower: z.number(),
  voltage: z.number().optional(),
  current: z.number().optional(),
  aenergy: z.object({ total: z.number() }),
});

export function shellyStatusPath(plug: PlugConfig): string {
  return `/rpc/Switch.GetStatus?id=${plug.channel}`;
}

/** Measurements from a Switch.GetStatus response body; throws PlugReadError on a bad body. */
export function shellyMeasurements(body: string, deviceId: string, nowMs: number): Measurement[] {
  const parsed = switchStatus.safeParse(parsePlugJson(body));
  if (!parsed.success) throw new PlugReadError('unexpected-shape', z.prettifyError(parsed.error));
  const status = parsed.data;
  const at = { deviceId, timestampMs: nowMs };
  const measurements: Measurement[] = [
    { ...at, quantity: 'power_w', value: status.apower },
    { ...at, quantity: 'energy_wh', value: status.aenergy.total },
  ];
  if (status.voltage !== undefined) measurements.push({ ...at, quantity: 'voltage_v', value: status.voltage });
  if (status.current !== undefined) measurements.push({ ...at, quantity: 'current_a', value: status.current });
  return measurements;
}

export function createShellyGen2Source(options: HttpPlugSourceOptions): MeterSource {
  return createHttpPlugSource('shelly', options, {
    path: shellyStatusPath,
    measurements: (body, plug, nowMs) => shellyMeasurements(body, plug.deviceId, nowMs),
  });
}
