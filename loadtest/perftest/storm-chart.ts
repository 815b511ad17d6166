// SVG of a connection storm: connections held, broker RSS and broker CPU per second, one colour per broker.
import { COLOURS, escapeXml, panel, PANEL_HEIGHT, WIDTH, type Line } from './svg-chart.js';
import type { StormResult } from './storm-result.js';

export function renderStormChartSvg(title: string, runs: readonly StormResult[]): string {
  const seconds = Math.max(1, ...runs.map((r) => r.samples.length));
  const line = (r: StormResult, i: number, label: string, value: (s: StormResult['samples'][number]) => number): Line => ({
    label: `${r.target} ${label}`,
    colour: COLOURS[i % COLOURS.length]!,
    dashed: false,
    points: r.samples.map((s) => [s.second, value(s)] as const),
  });
  const height = 3 * PANEL_HEIGHT + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    panel('Connections held', 'conns', 20, runs.map((r, i) => line(r, i, 'held', (s) => s.held)), seconds),
    panel('Broker RSS', 'MB', 20 + PANEL_HEIGHT, runs.map((r, i) => line(r, i, 'RSS', (s) => s.rssBytes / 1024 / 1024)), seconds),
    panel('Broker CPU (share of one core)', '%', 20 + 2 * PANEL_HEIGHT, runs.map((r, i) => line(r, i, 'CPU', (s) => s.cpuShare * 100)), seconds),
    '</svg>',
    '',
  ].join('\n');
}
