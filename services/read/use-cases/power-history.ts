// Power history of a household (every device plus the household total) or of one device, at a
// resolution chosen for the range, read from the cheapest sources. A device reported by several
// agents is the sum of their series; the total is the sum of every series (domain/device-series.ts).
// With `split: 'agent'` the series are not summed: one per (agent, device), each naming its agent
// (a live view seeds each series the live stream then updates; web/src/lib/live-power.ts).
import { HttpError } from '../../../lib/http/http-app.js';
import { agentOfSeries, deviceOfSeries, groupByDevice, HOLD_MS, sumPowerSeries } from '../domain/device-series.js';
import { floorTo } from '../domain/durations.js';
import { chooseResolution } from '../domain/resolution.js';
import { finestStepMs, type SourceCatalogue } from '../domain/source-plan.js';
import type { HistoryQueries, PowerPoint } from '../influx/history-queries.js';

export interface PowerHistoryRequest {
  readonly householdId: string;
  readonly deviceId?: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly resolutionMs?: number;
  /** 'agent': one series per (agent, device) instead of per device. The total is the same. */
  readonly split?: 'agent';
}

export interface PowerSeries {
  readonly device: string;
  /** Set with `split: 'agent'` only. */
  readonly agent?: string;
  readonly points: readonly PowerPoint[];
}

export interface PowerHistory {
  readonly resolutionMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly sources: readonly { source: string; fromMs: number; toMs: number }[];
  readonly series: readonly PowerSeries[];
  /** Sum of every series' mean power per bucket (household requests only). */
  readonly total: readonly { t: number; mean: number }[];
}

export interface PowerHistoryDeps {
  readonly history: HistoryQueries;
  readonly catalogue: SourceCatalogue;
  readonly targetPoints: number;
  readonly maxPoints: number;
  readonly nowMs: number;
}

export async function powerHistory(deps: PowerHistoryDeps, request: PowerHistoryRequest): Promise<PowerHistory> {
  const choice = chooseResolution({
    fromMs: request.fromMs,
    toMs: request.toMs,
    requestedMs: request.resolutionMs,
    finestMs: finestStepMs(deps.catalogue, request.fromMs, deps.nowMs),
    targetPoints: deps.targetPoints,
    maxPoints: deps.maxPoints,
  });
  if (!choice.ok) throw new HttpError(400, 'invalid-resolution', choice.reason);
  const fromMs = floorTo(request.fromMs, choice.stepMs);
  // Below HOLD_MS a series' point before `from` can still stand for the first buckets: read it too.
  const readFromMs = choice.stepMs < HOLD_MS ? floorTo(fromMs - HOLD_MS, choice.stepMs) : fromMs;
  const filter = { householdId: request.householdId, deviceId: request.deviceId, fromMs: readFromMs, toMs: request.toMs };
  const perSeries = await deps.history.power(filter, choice.stepMs, deps.nowMs);
  const inRange = (points: readonly PowerPoint[]): readonly PowerPoint[] => (readFromMs === fromMs ? points : points.filter((p) => p.t >= fromMs));
  const series: PowerSeries[] =
    request.split === 'agent'
      ? [...perSeries]
          .map(([key, points]) => ({ device: deviceOfSeries(key), agent: agentOfSeries(key), points: inRange(points) }))
          .sort((a, b) => a.device.localeCompare(b.device) || a.agent.localeCompare(b.agent))
      : [...groupByDevice(perSeries)]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([device, lists]) => ({ device, points: inRange(sumPowerSeries(lists)) }));
  return {
    resolutionMs: choice.stepMs,
    fromMs,
    toMs: request.toMs,
    sources: deps.history.plan(fromMs, request.toMs, choice.stepMs, deps.nowMs),
    series: series.filter((s) => s.points.length > 0),
    total: request.deviceId === undefined ? inRange(sumPowerSeries([...perSeries.values()])).map((p) => ({ t: p.t, mean: p.mean })) : [],
  };
}
