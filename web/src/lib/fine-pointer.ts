// What a chart's hints may promise depends on the device: uPlot (1.6) listens to mouse events
// only. A mouse drags to zoom and hovers for values; on a touch screen a drag scrolls the page and
// only a tap reaches the chart (as the mouse move the browser makes of it), placing the cursor.
import { useSyncExternalStore } from 'react';
import type { CalendarSpan } from './time-zone';

const FINE = '(pointer: fine)';

function subscribe(changed: () => void): () => void {
  const query = window.matchMedia(FINE);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}

/** Whether the primary pointer is a mouse or the like (it can hover and drag precisely). */
export function useFinePointer(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(FINE).matches);
}

/** How to zoom and move the History power chart on this device. */
export function zoomHint(span: CalendarSpan, finePointer: boolean): string {
  return finePointer
    ? `Drag across the chart or use + and − to zoom; ← → move within the ${span}.`
    : `Use + and − to zoom and ← → to move within the ${span}.`;
}

/** What the readout under a chart says while the cursor is not on it. */
export function readoutHint(finePointer: boolean): string {
  return finePointer ? 'Point at the chart for values:' : 'Tap the chart for values:';
}
