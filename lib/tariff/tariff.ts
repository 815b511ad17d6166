// A household's electricity tariff, as stored in `households.tariff` (jsonb) and used by the read
// service to price energy. Prices are per kWh in `currency`; time-of-use bands are local wall-clock
// times in the household's time zone.
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time must be HH:MM (00:00–24:00)');
const price = z.number().finite().min(0).max(100);
const currency = z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as EUR');

export const timeOfUseBandSchema = z
  .object({
    /** ISO weekdays 1 (Monday) … 7 (Sunday); absent means every day. */
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    /** Inclusive start and exclusive end; `from` > `to` wraps past midnight (22:00–06:00). */
    from: hhmm,
    to: hhmm,
    pricePerKwh: price,
  })
  .refine((band) => band.from !== band.to, 'a band must not start and end at the same time');

export const tariffSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flat'), currency, pricePerKwh: price }),
  z.object({
    kind: z.literal('time-of-use'),
    currency,
    /** Price outside every band. */
    defaultPricePerKwh: price,
    /** First matching band wins. */
    bands: z.array(timeOfUseBandSchema).min(1).max(48),
  }),
]);

export type Tariff = z.infer<typeof tariffSchema>;
export type TimeOfUseBand = z.infer<typeof timeOfUseBandSchema>;

export const DEFAULT_TARIFF: Tariff = Object.freeze({ kind: 'flat', currency: 'EUR', pricePerKwh: 0.3 });

// Zones already found valid. Building a DateTimeFormat to ask costs about 0.3 ms, and every read
// request checks its household's zone; there are a few hundred zones, so this set stays small.
// Unknown names are not remembered: they come from input, and there is no end to them.
const knownTimeZones = new Set<string>();

/** True when `timeZone` is an IANA zone this Node knows (Intl), e.g. Europe/Berlin. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
}
