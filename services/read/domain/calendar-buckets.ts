// Local calendar buckets (hour, day, week from Monday, month, year) in a household's time zone, as
// UTC instants. A day is midnight to midnight local time, so a DST day lasts 23 or 25 hours; hours
// are real hours (the repeated 02:00 hour of an autumn night is two buckets).
import { HOUR_MS } from './durations.js';
import { instantOfLocal, localParts, offsetMsAt } from './local-time.js';

export const PERIODS = ['hour', 'day', 'week', 'month', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export interface CalendarBucket {
  readonly startMs: number;
  readonly endMs: number;
  /** Local start as ISO 8601 with offset, e.g. 2026-03-29T00:00:00+01:00. */
  readonly label: string;
}

/** Start of the local period containing `ms`. */
export function periodStart(period: Period, ms: number, timeZone: string): number {
  if (period === 'hour') return ms - ((((ms + offsetMsAt(ms, timeZone)) % HOUR_MS) + HOUR_MS) % HOUR_MS);
  const p = localParts(ms, timeZone);
  if (period === 'day') return instantOfLocal(timeZone, p.year, p.month, p.day);
  if (period === 'week') return instantOfLocal(timeZone, p.year, p.month, p.day - (p.weekday - 1));
  if (period === 'month') return instantOfLocal(timeZone, p.year, p.month, 1);
  return instantOfLocal(timeZone, p.year, 1, 1);
}

/** Start of the period after the one starting at `startMs`. */
export function nextPeriodStart(period: Period, startMs: number, timeZone: string): number {
  if (period === 'hour') return startMs + HOUR_MS;
  const p = localParts(startMs, timeZone);
  if (period === 'day') return instantOfLocal(timeZone, p.year, p.month, p.day + 1);
  if (period === 'week') return instantOfLocal(timeZone, p.year, p.month, p.day + 7);
  if (period === 'month') return instantOfLocal(timeZone, p.year, p.month + 1, 1);
  return instantOfLocal(timeZone, p.year + 1, 1, 1);
}

/** Buckets covering [fromMs, toMs): the first starts at or before fromMs, the last ends at or after toMs. */
export function calendarBuckets(period: Period, fromMs: number, toMs: number, timeZone: string): CalendarBucket[] {
  const buckets: CalendarBucket[] = [];
  for (let start = periodStart(period, fromMs, timeZone); start < toMs; ) {
    const end = nextPeriodStart(period, start, timeZone);
    buckets.push({ startMs: start, endMs: end, label: localIso(start, timeZone) });
    start = end;
  }
  return buckets;
}

/**
 * The buckets cut to [fromMs, toMs): the first starts no earlier than fromMs, the last ends no
 * later than toMs (its label says where it starts), so no bucket reaches outside the range asked for.
 */
export function clipBuckets(buckets: readonly CalendarBucket[], fromMs: number, toMs: number, timeZone: string): CalendarBucket[] {
  return buckets.map((b) => {
    const startMs = Math.max(b.startMs, fromMs);
    const endMs = Math.min(b.endMs, toMs);
    return startMs === b.startMs && endMs === b.endMs ? b : { startMs, endMs, label: localIso(startMs, timeZone) };
  });
}

export function localIso(ms: number, timeZone: string): string {
  const offsetMin = Math.round(offsetMsAt(ms, timeZone) / 60_000);
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Whether every offset in [fromMs, toMs) is a whole number of hours (then UTC hours are local hours). */
export function hourAlignedZone(fromMs: number, toMs: number, timeZone: string): boolean {
  for (let t = fromMs; t < toMs + 30 * 86_400_000; t += 30 * 86_400_000) {
    if (offsetMsAt(Math.min(t, toMs), timeZone) % HOUR_MS !== 0) return false;
  }
  return offsetMsAt(fromMs, timeZone) % HOUR_MS === 0;
}
