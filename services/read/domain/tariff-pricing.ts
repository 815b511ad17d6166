// Prices energy with a household's tariff: flat, or time-of-use bands on local wall-clock time.
// A band applies to a whole base bucket when the bucket starts inside it (buckets are hours, or
// quarter hours in zones with half-hour offsets): bands are evaluated per hour in local time.
import type { Tariff, TimeOfUseBand } from '../../../lib/tariff/tariff.js';
import { localParts } from './local-time.js';

function minutesOf(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function bandCovers(band: TimeOfUseBand, weekday: number, minuteOfDay: number): boolean {
  const from = minutesOf(band.from);
  const to = minutesOf(band.to);
  if (from < to) return (band.days?.includes(weekday) ?? true) && minuteOfDay >= from && minuteOfDay < to;
  // Wraps past midnight: the part after midnight belongs to the band that started the day before.
  if (minuteOfDay >= from) return band.days?.includes(weekday) ?? true;
  const dayBefore = weekday === 1 ? 7 : weekday - 1;
  return minuteOfDay < to && (band.days?.includes(dayBefore) ?? true);
}

/** Price per kWh in force at instant `ms`. */
export function priceAt(tariff: Tariff, timeZone: string, ms: number): number {
  if (tariff.kind === 'flat') return tariff.pricePerKwh;
  const local = localParts(ms, timeZone);
  const minuteOfDay = local.hour * 60 + local.minute;
  const band = tariff.bands.find((b) => bandCovers(b, local.weekday, minuteOfDay));
  return band?.pricePerKwh ?? tariff.defaultPricePerKwh;
}

/** Cost of base-bucket energies (Wh), each priced at its start. */
export function costOf(tariff: Tariff, timeZone: string, energies: readonly { startMs: number; energyWh: number }[]): number {
  let cost = 0;
  for (const e of energies) cost += (e.energyWh / 1000) * priceAt(tariff, timeZone, e.startMs);
  return cost;
}
