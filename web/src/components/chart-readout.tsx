// The line under a chart: the time at the cursor and each series' value there, or, without a
// cursor, how to get them and which key is which (lib/chart-readout.ts). Below the chart, not
// over it: on a phone a tooltip would hide the lines it explains, and text growing above the
// chart would move it under the finger that just tapped.
import { Fragment, type ReactNode } from 'react';
import type { Readout } from '../lib/chart-readout';
import { readoutHint, useFinePointer } from '../lib/fine-pointer';

export function ChartReadout({ readout }: { readout: Readout }): ReactNode {
  const fine = useFinePointer();
  return (
    <p className="chart-readout" data-testid="chart-readout">
      {readout.time === undefined ? <span className="readout-time idle">{readoutHint(fine)}</span> : <span className="readout-time">{readout.time}</span>}
      {readout.entries.map((e) => (
        // The space between entries keeps the words apart for a screen reader too.
        <Fragment key={e.label}>
          {' '}
          <span className="readout-entry">
            <span className={e.dashed ? 'readout-key dashed' : 'readout-key'} style={{ borderTopColor: e.color }} aria-hidden="true" />
            {e.label}
            {e.value !== undefined && (
              <>
                {' '}
                <strong>{e.value}</strong>
              </>
            )}
          </span>
        </Fragment>
      ))}
    </p>
  );
}
