// The calendar spans History offers, the bucket period asked of the read service for each, and
// how the shown range is named in the household's time zone.
import type { Period } from '../api/types';
import type { CalendarSpan } from './time-zone';

export const SPANS: { span: CalendarSpan; label: string; period: Period }[] = [
  { span: 'day', label: 'Day', period: 'hour' },
  { span: 'week', label: 'Week', period: 'day' },
  { span: 'month', label: 'Month', period: 'day' },
  { span: 'year', label: 'Year', period: 'month' },
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
