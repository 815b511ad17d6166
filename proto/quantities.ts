// The closed set of quantities, as they appear in InfluxDB (`quantity` tag) and in APIs.
import { energymonitor } from './gen/readings.js';

const Wire = energymonitor.v1.Quantity;

const byWire = new Map<number, Quantity>([
  [Wire.POWER_W, 'power_w'],
  [Wire.ENERGY_WH, 'energy_wh'],
  [Wire.VOLTAGE_V, 'voltage_v'],
  [Wire.CURRENT_A, 'current_a'],
  [Wire.POWER_FACTOR, 'power_factor'],
  [Wire.FREQUENCY_HZ, 'frequency_hz'],
  [Wire.REACTIVE_POWER_VAR, 'reactive_power_var'],
  [Wire.TEMPERATURE_C, 'temperature_c'],
]);

export const QUANTITIES = [
  'power_w',
  'energy_wh',
  'voltage_v',
  'current_a',
  'power_factor',
  'frequency_hz',
  'reactive_power_var',
  'temperature_c',
] as const;

export type Quantity = (typeof QUANTITIES)[number];

const toWire = new Map<Quantity, number>([...byWire].map(([w, q]) => [q, w]));

export function quantityFromWire(value: number): Quantity | undefined {
  return byWire.get(value);
}

export function quantityToWire(quantity: Quantity): number {
  const value = toWire.get(quantity);
  if (value === undefined) throw new Error(`unknown quantity ${quantity}`);
  return value;
}
