// Power history of a household (every device plus the household total) or of one device, at a
// resolution chosen for the range, read from the cheapest sources.
import { HttpError } from '../../../lib/http/http-app.js';
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
}

export interface PowerHistory {
  readonly resolutionMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly sources: readonly { source: string; fromMs: number; toMs: number }[];
  readonly series: readonly { device: string; points: readonly PowerPoint[] }[];
  /** Sum of the devices' mean power per bucket (household requests only). */
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
  const filter = { householdId: request.householdId, deviceId: request.deviceId, fromMs, toMs: request.toMs };
  const byDevice = await deps.history.power(filter, choice.stepMs, deps.nowMs);
  const series = [...byDevice].sort(([a], [b]) => a.localeCompare(b)).map(([device, points]) => ({ device, points }));
  return {
    resolutionMs: choice.stepMs,
    fromMs,
    toMs: request.toMs,
    sources: deps.history.plan(fromMs, request.toMs, choice.stepMs, deps.nowMs),
    series,
    total: request.deviceId === undefined ? totals(series) : [],
  };
}

function totals(series: readonly { points: readonly PowerPoint[] }[]): { t: number; mean: number }[] {
  const sums = new Map<number, number>();
  for (const s of series) for (const p of s.points) sums.set(p.t, (sums.get(p.t) ?? 0) + p.mean);
  return [...sums].sort(([a], [b]) => a - b).map(([t, mean]) => ({ t, mean }));
}
