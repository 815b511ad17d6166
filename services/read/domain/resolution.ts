// Which GROUP BY time() step answers a history request: about `targetPoints` points per series from
// a ladder of round steps, never finer than what the data source of the range keeps, and an
// explicit request only when it stays within `maxPoints`.
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, WEEK_MS } from './durations.js';

export const RESOLUTION_LADDER_MS: readonly number[] = [
  SECOND_MS,
  10 * SECOND_MS,
  30 * SECOND_MS,
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  WEEK_MS,
];

export interface ResolutionRequest {
  readonly fromMs: number;
  readonly toMs: number;
  /** Explicit step from the client, if any. */
  readonly requestedMs?: number;
  /** The finest step the stored data can answer for this range (raw 1 s, 1-minute or 1-hour rollups). */
  readonly finestMs: number;
  readonly targetPoints: number;
  readonly maxPoints: number;
}

export type ResolutionChoice = { readonly ok: true; readonly stepMs: number } | { readonly ok: false; readonly reason: string };

export function chooseResolution(request: ResolutionRequest): ResolutionChoice {
  const spanMs = request.toMs - request.fromMs;
  if (request.requestedMs !== undefined) return checkRequested(request, request.requestedMs, spanMs);
  const wanted = spanMs / request.targetPoints;
  const step = RESOLUTION_LADDER_MS.find((s) => s >= wanted && s >= request.finestMs && s % request.finestMs === 0);
  return { ok: true, stepMs: step ?? WEEK_MS };
}

function checkRequested(request: ResolutionRequest, stepMs: number, spanMs: number): ResolutionChoice {
  if (stepMs < request.finestMs || stepMs % request.finestMs !== 0) {
    return { ok: false, reason: `resolution must be a multiple of ${request.finestMs / 1000}s for this range (older data is kept rolled up)` };
  }
  const points = Math.ceil(spanMs / stepMs);
  if (points > request.maxPoints) {
    return { ok: false, reason: `resolution ${stepMs / 1000}s gives ${points} points per series; at most ${request.maxPoints} are allowed` };
  }
  return { ok: true, stepMs };
}
