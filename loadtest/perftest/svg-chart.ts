// A self-contained SVG of a run (report artifact, not UI): acknowledged and stored rate per second
// on top, PUBACK/request latency p50 and p99 per second below, one colour per target.
import type { SecondSample } from './per-second.js';

export interface ChartSeries {
  readonly name: string;
  readonly samples: readonly SecondSample[];
}

export const WIDTH = 900;
export const PANEL_HEIGHT = 220;
const MARGIN = { left: 80, right: 240, top: 30, bottom: 30 };
export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

export const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A "nice" upper bound for an axis: 1, 2 or 5 × a power of ten at or above `max`. */
export function niceCeiling(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((step) => step * power >= max) ?? 10) * power;
}

export interface Line {
  readonly label: string;
  readonly colour: string;
  readonly dashed: boolean;
  readonly points: readonly (readonly [number, number])[];
}

/** One chart panel (title, y axis, one path per line) of PANEL_HEIGHT pixels starting at `top`. */
export function panel(title: string, unit: string, top: number, lines: readonly Line[], seconds: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = niceCeiling(Math.max(0, ...lines.flatMap((l) => l.points.map(([, y]) => y)).filter(Number.isFinite)));
  const x = (s: number): number => MARGIN.left + (seconds <= 1 ? 0 : (s / (seconds - 1)) * plotWidth);
  const y = (v: number): number => top + MARGIN.top + plotHeight - (v / yMax) * plotHeight;
  const parts: string[] = [`<text x="${MARGIN.left}" y="${top + 18}" font-weight="bold">${escapeXml(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatTick(v)}${i === 4 ? ` ${escapeXml(unit)}` : ''}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth}" y="${top + PANEL_HEIGHT - 8}" text-anchor="end">${seconds} s</text>`);
  lines.forEach((line, i) => {
    const finite = line.points.filter(([, v]) => Number.isFinite(v));
    if (finite.length > 0) {
      const d = finite.map(([s, v], j) => `${j === 0 ? 'M' : 'L'}${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${line.colour}" stroke-width="1.5"${line.dashed ? ' stroke-dasharray="5,3"' : ''}/>`);
    }
    const ly = top + MARGIN.top + 14 * i + 4;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 30}" y1="${ly}" y2="${ly}" stroke="${line.colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="5,3"' : ''}/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 34}" y="${ly + 4}">${escapeXml(line.label)}</text>`);
  });
  return parts.join('\n');
}

function formatTick(v: number): string {
  if (v >= 1000) return `${Number((v / 1000).toFixed(1))}k`;
  return String(Number(v.toFixed(2)));
}

export function renderChartSvg(title: string, series: readonly ChartSeries[]): string {
  const seconds = Math.max(1, ...series.map((s) => s.samples.length));
  const colour = (i: number): string => COLOURS[i % COLOURS.length]!;
  const rateLines: Line[] = series.flatMap((s, i) => [
    { label: `${s.name} acked/s`, colour: colour(i), dashed: false, points: s.samples.map((p) => [p.second, p.acked] as const) },
    { label: `${s.name} stored/s`, colour: colour(i), dashed: true, points: s.samples.map((p) => [p.second, p.stored] as const) },
  ]);
  const latencyLines: Line[] = series.flatMap((s, i) => [
    { label: `${s.name} p50`, colour: colour(i), dashed: true, points: s.samples.map((p) => [p.second, p.p50Ms] as const) },
    { label: `${s.name} p99`, colour: colour(i), dashed: false, points: s.samples.map((p) => [p.second, p.p99Ms] as const) },
  ]);
  const height = 2 * PANEL_HEIGHT + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    panel('Rate per second', '/s', 20, rateLines, seconds),
    panel('Latency per second (by completion time)', 'ms', 20 + PANEL_HEIGHT, latencyLines, seconds),
    '</svg>',
    '',
  ].join('\n');
}
