// Request schemas shared by the routes, and the semantic checks zod cannot express (from < to,
// range limits per endpoint).
import { z } from 'zod';
import { ID_PATTERN } from '../../../proto/topics.js';
import { PERIODS } from '../domain/calendar-buckets.js';
import { readError } from './errors.js';

export const householdParams = z.object({ householdId: z.string().regex(ID_PATTERN, 'household ids are [A-Za-z0-9_-]{1,64}') });
export const deviceParams = householdParams.extend({ deviceId: z.string().min(1).max(512) });

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with offset, e.g. 2026-03-29T00:00:00+01:00');

export const rangeQuery = z.object({ from: instant, to: instant });
export const powerQuery = rangeQuery.extend({
  resolution: z.coerce.number().int().min(1).max(31_536_000).optional().describe('bucket length in seconds (default: chosen for the range)'),
});
export const energyQuery = rangeQuery.extend({
  period: z.enum(PERIODS).default('day'),
  device: z.string().min(1).max(512).optional(),
});
export const exportQuery = rangeQuery.extend({ device: z.string().min(1).max(512).optional() });

export const errorBody = z.object({ error: z.string(), message: z.string() });

const DAY_S = 86_400;
/** Longest range per endpoint, in seconds. */
export const MAX_RANGE_S = {
  power: 10 * 366 * DAY_S,
  'energy-hour': 31 * DAY_S,
  energy: 20 * 366 * DAY_S,
  completeness: 7 * DAY_S,
  export: 31 * DAY_S,
} as const;

export function parseRange(query: { from: string; to: string }, maxSeconds: number): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (!(fromMs < toMs)) throw readError('invalid-range', `from (${query.from}) must be before to (${query.to})`);
  if (toMs - fromMs > maxSeconds * 1000) throw readError('invalid-range', `the range may span at most ${maxSeconds / DAY_S} days`);
  return { fromMs, toMs };
}
