// The calendar spans History offers, the bucket period asked of the read service for each, how
// often the current span is read again while shown, and how the shown range is named in the
// household's time zone.
import type { Period } from '../api/types';
import type { CalendarSpan } from './time-zone';

// A day grows visibly within a minute; a year's monthly bars do not, and its reads are the
// read service's heaviest, so longer spans are read again less often.
export const SPANS: { span: CalendarSpan; label: string; period: Period; refreshMs: number }[] = [
  { span: 'day', label: 'Day', period: 'hour', refreshMs: 60_000 },
  { span: 'week', label: 'Week', period: 'day', refreshMs: 5 * 60_000 },
  { span: 'month', label: 'Month', period: 'day', refreshMs: 15 * 60_000 },
  { span: 'year', label: 'Year', period: 'month', refreshMs: 60 * 60_000 },
];

export function describeRange(fromMs: number, toMs: number, span: CalendarSpan, timeZone: string): string {
  const date = (ms: number, options: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat(undefined, { timeZone, ...options }).format(new Date(ms));
  switch (span) {
    case 'day':
      return date(fromMs, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    case 'week':
      return `${date(fromMs, { day: 'numeric', month: 'short' })} – ${date(toMs - 1, { day: 'numeric', month: 'short', year: 'numeric' })}`;
    case 'month':
      return date(fromMs, { month: 'long', year: 'numeric' });
    case 'year':
      return date(fromMs, { year: 'numeric' });
  }
}
