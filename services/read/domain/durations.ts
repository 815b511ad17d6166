// Durations as operators write them (`30d`, `52w`, `90m`, `INF`) and as InfluxQL wants them.

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

const UNIT_MS: Readonly<Record<string, number>> = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };
const DURATION = /^(\d+)(s|m|h|d|w)$/;

/** Milliseconds of `text` (`30d`), `Infinity` for `INF`/`0`/`0d` (keep forever), undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.toUpperCase() === 'INF' || trimmed === '0') return Infinity;
  const match = DURATION.exec(trimmed);
  if (match === null) return undefined;
  // InfluxDB reads any zero duration as infinite; `0d` must not become a retention of 0 ms.
  if (Number(match[1]) === 0) return Infinity;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
}

/** InfluxQL duration literal for `ms` (`INF` for Infinity), in the largest unit that divides it. */
export function influxDuration(ms: number): string {
  if (ms === Infinity) return 'INF';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * InfluxDB reports durations like `720h0m0s` (and `0s` for infinite); returns milliseconds,
 * Infinity for `0s`.
 */
export function parseInfluxShowDuration(text: string): number {
  if (text === '0s' || text === '0') return Infinity;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(h|m|s)/g)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  return total;
}

/** Largest multiple of `stepMs` at or below `ms` (InfluxDB's GROUP BY time grid starts at the epoch). */
export function floorTo(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

export function ceilTo(ms: number, stepMs: number): number {
  return Math.ceil(ms / stepMs) * stepMs;
}
