// The tariff form's values and their checks, apart from React. Prices stay the text typed (a
// cleared field is empty, not 0; a decimal comma stays a comma) until saving, when each is checked
// against what the auth service accepts (lib/tariff/tariff.ts: 0–100 per kWh, a three-letter
// currency, bands that do not start and end at the same time).
import type { Tariff } from '../api/types';

export interface BandForm {
  days?: number[];
  from: string;
  to: string;
  /** Price per kWh as typed. */
  price: string;
}

export interface TariffForm {
  kind: Tariff['kind'];
  currency: string;
  /** The one price (flat) or the price outside the bands (time of use), as typed. */
  price: string;
  bands: BandForm[];
}

/** Field keys: `currency`, `price`, `band-{i}-price`, `band-{i}-time` (i from 0). */
export type TariffErrors = Record<string, string>;

const MAX_PRICE = 100;

export const NEW_BAND: BandForm = { from: '07:00', to: '09:00', price: '0.35' };

export function tariffFormOf(tariff: Tariff): TariffForm {
  if (tariff.kind === 'flat') return { kind: 'flat', currency: tariff.currency, price: String(tariff.pricePerKwh), bands: [{ from: '22:00', to: '06:00', price: '0.2' }] };
  return {
    kind: 'time-of-use',
    currency: tariff.currency,
    price: String(tariff.defaultPricePerKwh),
    bands: tariff.bands.map((b) => ({ ...(b.days === undefined ? {} : { days: b.days }), from: b.from, to: b.to, price: String(b.pricePerKwh) })),
  };
}

// Digits with at most one decimal mark, a point or a comma, so that "0,42" and "0.42" are both
// 0.42. Anything else is refused rather than guessed: in "1.000,5" or "1,000.5" one mark groups
// thousands and the other is decimal, and only the writer knows which.
const PRICE_PATTERN = /^(\d+([.,]\d+)?|[.,]\d+)$/;

/** A price as typed, or undefined when it is not a plain number from 0 to 100. */
function priceOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (!PRICE_PATTERN.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return value <= MAX_PRICE ? value : undefined;
}

const PRICE_RULE = `enter a number from 0 to ${MAX_PRICE} with a point or a comma before the decimals, such as 0.42 or 0,42`;

/** The API body for the form, or what is wrong with it, each message naming its field. */
export function tariffOf(form: TariffForm): { tariff: Tariff } | { errors: TariffErrors } {
  const errors: TariffErrors = {};
  const currency = form.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Currency: enter a three-letter code such as EUR.';
  const price = priceOf(form.price);
  if (price === undefined) errors.price = `${form.kind === 'flat' ? 'Price per kWh' : 'Price per kWh outside the bands'}: ${PRICE_RULE}.`;
  if (form.kind === 'flat') return Object.keys(errors).length > 0 ? { errors } : { tariff: { kind: 'flat', currency, pricePerKwh: price ?? 0 } };
  const bands = form.bands.map((band, i) => {
    const bandPrice = priceOf(band.price);
    if (bandPrice === undefined) errors[`band-${i}-price`] = `Band ${i + 1} price per kWh: ${PRICE_RULE}.`;
    if (band.from === '' || band.to === '') errors[`band-${i}-time`] = `Band ${i + 1}: enter both times.`;
    else if (band.from === band.to) errors[`band-${i}-time`] = `Band ${i + 1}: from and to must differ.`;
    return { ...(band.days === undefined ? {} : { days: band.days }), from: band.from, to: band.to, pricePerKwh: bandPrice ?? 0 };
  });
  if (Object.keys(errors).length > 0) return { errors };
  return { tariff: { kind: 'time-of-use', currency, defaultPricePerKwh: price ?? 0, bands } };
}
