// The period History shows: the current day, week, month or year, which follows the clock (left
// open past midnight, "today" becomes the new day), or a past one the homeowner stepped back to,
// which stays put however long the page is open.
import { useState } from 'react';
import { spanStart, type CalendarSpan } from '../lib/time-zone';
import { useNow } from './use-now';

/** How often the clock is re-read: the current period turns over within a minute of midnight. */
const CLOCK_TICK_MS = 60_000;

export interface HistoryPeriod {
  span: CalendarSpan;
  fromMs: number;
  toMs: number;
  /** Start of the span before the shown one, for comparison. */
  previousFromMs: number;
  /** The shown span holds now: it follows the clock, and it has no next span yet. */
  current: boolean;
  nowMs: number;
  chooseSpan: (span: CalendarSpan) => void;
  step: (direction: -1 | 1) => void;
  showCurrent: () => void;
}

export function useHistoryPeriod(timeZone: string): HistoryPeriod {
  const nowMs = useNow(CLOCK_TICK_MS);
  const [span, setSpan] = useState<CalendarSpan>('day');
  // A past span is held by its start, not by how many spans ago it was, so that it is still the
  // same span after midnight; null is the current span.
  const [pastFromMs, setPastFromMs] = useState<number | null>(null);
  const currentFromMs = spanStart(nowMs, span, timeZone);
  const fromMs = pastFromMs ?? currentFromMs;

  const step = (direction: -1 | 1): void =>
    setPastFromMs((past) => {
      // Date.now(), not nowMs: the current span may have turned over since the last tick.
      const next = spanStart(past ?? currentFromMs, span, timeZone, direction);
      return next >= spanStart(Date.now(), span, timeZone) ? null : next;
    });

  return {
    span,
    fromMs,
    toMs: spanStart(fromMs, span, timeZone, 1),
    previousFromMs: spanStart(fromMs, span, timeZone, -1),
    current: pastFromMs === null,
    nowMs,
    chooseSpan: (next) => {
      setSpan(next);
      setPastFromMs(null);
    },
    step,
    showCurrent: () => setPastFromMs(null),
  };
}
