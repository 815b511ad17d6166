// History's period controls: the span (day, week, month, year), moving back and forth through
// spans (never into the future), and comparing with the previous span.
import { useMemo, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { describeRange, SPANS } from '../lib/history-range';
import type { CalendarSpan } from '../lib/time-zone';

interface PeriodProps {
  span: CalendarSpan;
  setSpan: (span: CalendarSpan) => void;
  offset: number;
  setOffset: Dispatch<SetStateAction<number>>;
  compare: boolean;
  setCompare: (compare: boolean) => void;
  fromMs: number;
  toMs: number;
  tz: string;
}

export function HistoryPeriod({ span, setSpan, offset, setOffset, compare, setCompare, fromMs, toMs, tz }: PeriodProps): ReactNode {
  const rangeLabel = useMemo(() => describeRange(fromMs, toMs, span, tz), [fromMs, toMs, span, tz]);
  return (
    <section className="card" aria-label="Period">
      <div className="segmented" role="group" aria-label="Period length">
        {SPANS.map((s) => (
          <button
            key={s.span}
            type="button"
            aria-pressed={span === s.span}
            onClick={() => {
              setSpan(s.span);
              setOffset(0);
            }}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <button type="button" className="button secondary small" onClick={() => setOffset((o) => o - 1)} aria-label={`Previous ${span}`}>
          ◀
        </button>
        <span className="range-label" aria-live="polite" data-testid="history-range">
          {rangeLabel}
        </span>
        <button type="button" className="button secondary small" onClick={() => setOffset((o) => o + 1)} disabled={offset >= 0} aria-label={`Next ${span}`}>
          ▶
        </button>
        {offset !== 0 && (
          <button type="button" className="button secondary small" onClick={() => setOffset(0)}>
            Current
          </button>
        )}
        <label className="field inline compare">
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
          <span>Compare with previous {span}</span>
        </label>
      </div>
    </section>
  );
}
