// History's period controls: the span (day, week, month, year), moving back and forth through
// spans (never into the future), and comparing with the previous span.
import { useMemo, type ReactNode } from 'react';
import type { HistoryPeriod as Period } from '../hooks/use-history-period';
import { describeRange, SPANS } from '../lib/history-range';

interface PeriodProps {
  period: Period;
  compare: boolean;
  setCompare: (compare: boolean) => void;
  tz: string;
}

export function HistoryPeriod({ period, compare, setCompare, tz }: PeriodProps): ReactNode {
  const { span, fromMs, toMs, current, chooseSpan, step, showCurrent } = period;
  const rangeLabel = useMemo(() => describeRange(fromMs, toMs, span, tz), [fromMs, toMs, span, tz]);
  return (
    <section className="card" aria-label="Period">
      <div className="segmented" role="group" aria-label="Period length">
        {SPANS.map((s) => (
          <button
            key={s.span}
            type="button"
            aria-pressed={span === s.span}
            onClick={() => chooseSpan(s.span)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div className="toolbar">
        <button type="button" className="button secondary small" onClick={() => step(-1)} aria-label={`Previous ${span}`}>
          ◀
        </button>
        <span className="range-label" aria-live="polite" data-testid="history-range">
          {rangeLabel}
        </span>
        <button type="button" className="button secondary small" onClick={() => step(1)} disabled={current} aria-label={`Next ${span}`}>
          ▶
        </button>
        {!current && (
          <button type="button" className="button secondary small" onClick={showCurrent}>
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
