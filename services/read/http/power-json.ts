// The power history answer as JSON text. Turning numbers into decimal text is most of what
// JSON.stringify costs here (a day at one minute for three devices: 5,760 points, 263 KB, ~4 ms on
// the reference machine, the largest single cost of that request). Nearly all of those points are
// the same objects on every request — the history cache hands out the rows it holds
// (domain/chunk-cache.ts) — so the text of each point is made once and remembered for as long as
// the point itself lives. Totals are new objects per request and are written directly.
import type { PowerPoint } from '../influx/history-queries.js';
import type { PowerHistory } from '../use-cases/power-history.js';

const pointText = new WeakMap<PowerPoint, string>();

/** A number as JSON.stringify writes it: non-finite numbers become null (ECMA-262 SerializeJSONProperty). */
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

function pointJson(point: PowerPoint): string {
  let text = pointText.get(point);
  if (text === undefined) {
    text = `{"t":${num(point.t)},"mean":${num(point.mean)},"max":${num(point.max)}}`;
    pointText.set(point, text);
  }
  return text;
}

function joined<T>(items: readonly T[], write: (item: T) => string): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i += 1) parts[i] = write(items[i] as T);
  return parts.join(',');
}

/** The same document as `JSON.stringify({ ...history, resolutionS })`, in the same key order. */
export function powerHistoryJson(history: PowerHistory, resolutionS: number): string {
  const series = joined(
    history.series,
    (s) => `{"device":${JSON.stringify(s.device)},${s.agent === undefined ? '' : `"agent":${JSON.stringify(s.agent)},`}"points":[${joined(s.points, pointJson)}]}`,
  );
  const total = joined(history.total, (p) => `{"t":${num(p.t)},"mean":${num(p.mean)}}`);
  return (
    `{"resolutionMs":${num(history.resolutionMs)},"fromMs":${num(history.fromMs)},"toMs":${num(history.toMs)},` +
    `"sources":${JSON.stringify(history.sources)},"series":[${series}],"total":[${total}],"resolutionS":${num(resolutionS)}}`
  );
}
