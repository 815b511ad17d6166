// Calendar arithmetic in the household's time zone (not the browser's): the read service buckets
// energy by the household's local days, so the ranges we ask for start at its local midnights.

export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function parts(ms: number, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

/** Offset of the zone from UTC at instant `ms`, in ms (e.g. +3_600_000 for CET). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export function localDate(ms: number, timeZone: string): LocalDate {
  const p = parts(ms, timeZone);
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), weekday: WEEKDAYS.indexOf(p.weekday ?? 'Mon') + 1 };
}

/** The instant of local midnight starting year-month-day (month and day may overflow, as Date.UTC allows). */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  return localInstant(year, month, day, 0, 0, 0, timeZone);
}

/** The instant of a local date and time (fields may overflow); a time the clocks skip comes out an hour off. */
function localInstant(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

export type CalendarSpan = 'day' | 'week' | 'month' | 'year';

/** Start of the local day/week (Monday)/month/year containing `ms`, moved by `shift` spans. */
export function spanStart(ms: number, span: CalendarSpan, timeZone: string, shift = 0): number {
  const d = localDate(ms, timeZone);
  switch (span) {
    case 'day':
      return localMidnight(d.year, d.month, d.day + shift, timeZone);
    case 'week':
      return localMidnight(d.year, d.month, d.day - (d.weekday - 1) + 7 * shift, timeZone);
    case 'month':
      return localMidnight(d.year, d.month + shift, 1, timeZone);
    case 'year':
      return localMidnight(d.year + shift, 1, 1, timeZone);
  }
}

/**
 * The same local time of day `shift` days, weeks, months or years after `ms` (before, when
 * negative): 18:00 on the Saturday before clocks go forward is 18:00 on the Sunday, 23 hours later.
 */
export function sameLocalTime(ms: number, span: CalendarSpan, shift: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const days = span === 'day' ? shift : span === 'week' ? 7 * shift : 0;
  const months = span === 'month' ? shift : span === 'year' ? 12 * shift : 0;
  const instant = localInstant(Number(p.year), Number(p.month) + months, Number(p.day) + days, Number(p.hour), Number(p.minute), Number(p.second), timeZone);
  return instant + (ms % 1000);
}

/** ISO 8601 with the zone's offset, as the read service's `from`/`to` expect. */
export function isoInZone(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
