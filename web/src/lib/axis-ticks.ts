// Y-axis labels for power, energy and cost. uPlot puts ticks `increment` apart (1, 2, 2.5 or 5
// times a power of ten), so a label needs as many decimals as the increment has to differ from
// its neighbours: rounded to cents, cost ticks 0.002 apart read €0.00, €0.00, €0.01, €0.01.
import type uPlot from 'uplot';

export type AxisUnit = 'W' | 'kWh' | { currency: string };

const MAX_DECIMALS = 10;

/** Decimals that write every multiple of `increment` exactly: 5 → 0, 0.5 → 1, 0.25 → 2, 0.002 → 3. */
export function tickDecimals(increment: number): number {
  if (!Number.isFinite(increment) || increment <= 0) return 0;
  for (let decimals = 0; decimals < MAX_DECIMALS; decimals++) {
    const scaled = increment * 10 ** decimals;
    // A tolerance for binary fractions: 0.1 * 10 is 1.0000000000000002.
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return decimals;
  }
  return MAX_DECIMALS;
}

/** Labels for `ticks` spaced `increment` apart, each in `unit`; `locale` only for tests. */
export function tickLabels(ticks: readonly number[], increment: number, unit: AxisUnit, locale?: string): string[] {
  // -0 would print as "-€0.00".
  const values = ticks.map((t) => (t === 0 ? 0 : t));
  if (unit === 'kWh') return values.map((t) => `${t.toFixed(tickDecimals(increment))} kWh`);
  if (unit === 'W') {
    // One unit for the whole axis, so 500 W and 1.0 kW do not sit side by side.
    if (!values.some((t) => Math.abs(t) >= 1000)) return values.map((t) => `${t.toFixed(tickDecimals(increment))} W`);
    return values.map((t) => `${(t / 1000).toFixed(tickDecimals(increment / 1000))} kW`);
  }
  const format = moneyFormat(unit.currency, tickDecimals(increment), locale);
  return values.map(format);
}

/**
 * Whole amounts without cents (€5, €10), otherwise at least the currency's own decimals (€0.50,
 * not €0.5) and more when the ticks are closer than that (€0.002).
 */
function moneyFormat(currency: string, decimals: number, locale: string | undefined): (value: number) => string {
  try {
    const own = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    const digits = decimals === 0 ? 0 : Math.max(decimals, own);
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (value) => format.format(value);
  } catch {
    // Not a currency Intl knows: the code after the number.
    return (value) => `${value.toFixed(decimals === 0 ? 0 : Math.max(decimals, 2))} ${currency}`;
  }
}

/** uPlot's `axes[i].values`: labels as above, from the increment uPlot chose. */
export function axisValues(unit: AxisUnit): uPlot.Axis.DynamicValues {
  return (_u, ticks, _axisIdx, _space, increment) => tickLabels(ticks, increment ?? spacing(ticks), unit);
}

/** uPlot's `axes[i].size`: room for the longest label, so more decimals are not cut off. */
export function axisSize(_u: uPlot, labels: readonly string[] | null): number {
  const longest = Math.max(0, ...(labels ?? []).map((l) => l.length));
  // About 7 px a character in uPlot's 12 px axis font, plus the tick and the gap.
  return Math.max(48, 7 * longest + 18);
}

const spacing = (ticks: readonly number[]): number => (ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1);
