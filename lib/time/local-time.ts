// Wall-clock time in an IANA zone with nothing but Intl: the offset at an instant, and the instant of
// a local calendar time. DST transitions make some local times occur twice or not at all.
// Shared by the read service (calendar buckets) and the alerts service (local days).
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface LocalParts {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function partsFromIntl(ms: number, timeZone: string): LocalParts & { readonly second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? 1,
  };
}

/**
 * Offsets per zone and quarter hour. Intl's formatToParts costs microseconds, and a year of daily
 * buckets asks for thousands of offsets; zone transitions happen on whole quarter hours of UTC
 * (every offset in use is a multiple of 15 minutes, and clocks change at :00 or :30 local), so
 * the offset is constant within one. Bounded: cleared when it grows past its limit.
 */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const OFFSET_CACHE_LIMIT = 200_000;
const offsetCache = new Map<string, number>();

/** Local time minus UTC at instant `ms`, in milliseconds (e.g. +3,600,000 for CET). */
export function offsetMsAt(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const p = partsFromIntl(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = asUtc - (ms - (ms % 1000 + 1000) % 1000);
  if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export function localParts(ms: number, timeZone: string): LocalParts & { readonly second: number } {
  const local = new Date(ms + offsetMsAt(ms, timeZone));
  const weekday = local.getUTCDay();
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/**
 * The first instant whose local time is at or after the given wall-clock time. In a spring-forward
 * gap (02:30 that never happens) that is the end of the gap; in a fall-back overlap the earlier one.
 */
export function instantOfLocal(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([offsetMsAt(wall - DAY_MS, timeZone), offsetMsAt(wall, timeZone), offsetMsAt(wall + DAY_MS, timeZone)]);
  const exact = [...offsets].map((offset) => wall - offset).filter((t) => localWallMs(t, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped by a transition: walk to the instant where local time jumps past it.
  let t = wall - Math.max(...offsets);
  while (localWallMs(t, timeZone) < wall) t += MINUTE_MS;
  return t;
}

function localWallMs(ms: number, timeZone: string): number {
  return ms + offsetMsAt(ms, timeZone);
}
