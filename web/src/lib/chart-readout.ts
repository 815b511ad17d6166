// What the line under a chart says: with the cursor on the chart (a mouse over it, or a tap,
// which uPlot receives as a mouse move), the time there and each shown series' value with its
// unit; without, only the series' names and keys, so the total and the dashed previous period are
// labelled either way. Values come from each series' own `value` formatter in the chart options.
import type uPlot from 'uplot';

export interface ReadoutEntry {
  readonly label: string;
  /** The key's colour: the series' line, or its fill. */
  readonly color: string;
  readonly dashed: boolean;
  /** The value at the cursor ('–' where the series has none); undefined without a cursor. */
  readonly value?: string;
}

export interface Readout {
  /** The time at the cursor; undefined without a cursor. */
  readonly time?: string;
  readonly entries: readonly ReadoutEntry[];
}

/** Where the cursor is: a data index of one chart (the index uPlot's `dataIdx` chose for x). */
export interface CursorAt {
  readonly chart: uPlot;
  readonly idx: number;
}

/** The readout for `data` drawn with `series`, the cursor at `cursor` (null: not on the chart). */
export function readoutAt(series: readonly uPlot.Series[], data: uPlot.AlignedData, cursor: CursorAt | null): Readout {
  // The data may have changed under a cursor that has not moved since: no such point, no values.
  const x = cursor === null ? undefined : data[0][cursor.idx];
  const at = x === undefined ? null : cursor;
  const entries = series.flatMap((s, i): ReadoutEntry[] => {
    if (i === 0 || s.show === false || typeof s.label !== 'string') return [];
    const key = { label: s.label, color: colorOf(s), dashed: Array.isArray(s.dash) && s.dash.length > 0 };
    if (at === null) return [key];
    const raw = data[i]?.[at.idx];
    return [{ ...key, value: raw === null || raw === undefined ? '–' : formatted(s, at, raw, i) }];
  });
  return x === undefined || at === null ? { entries } : { time: formatted(series[0] ?? {}, at, x, 0), entries };
}

function formatted(s: uPlot.Series, at: CursorAt, value: number, seriesIdx: number): string {
  if (typeof s.value === 'function') return String(s.value(at.chart, value, seriesIdx, at.idx));
  return String(value);
}

function colorOf(s: uPlot.Series): string {
  if (typeof s.stroke === 'string') return s.stroke;
  if (typeof s.fill === 'string') return s.fill;
  return 'currentColor';
}
