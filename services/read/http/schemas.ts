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
/** Values of the power routes' `split`: `agent` answers one series per (agent, device). */
export const POWER_SPLITS = ['agent'] as const;
export type PowerSplit = (typeof POWER_SPLITS)[number];

export const powerQuery = rangeQuery.extend({
  resolution: z.coerce.number().int().min(1).max(31_536_000).optional().describe('bucket length in seconds (default: chosen for the range)'),
  split: z
    .enum(POWER_SPLITS)
    .optional()
    .describe("'agent': one series per (agent, device), each naming its agent, instead of one per device summed over its agents; the total is the same"),
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

/**
 * Dates a range may name. InfluxDB's times are int64 nanoseconds (1677-09-21 to 2262-04-11); the
 * queries reach a month before `from` (the counter before a range) and past `to` (whole calendar
 * years), so the bounds leave room on both sides. Smart meters have no readings before 1970.
 */
export const EARLIEST_DATE = '1970-01-01T00:00:00Z';
export const LATEST_DATE = '2200-01-01T00:00:00Z';

function boundedDate(field: 'from' | 'to', text: string): number {
  const ms = Date.parse(text);
  if (!(ms >= Date.parse(EARLIEST_DATE) && ms <= Date.parse(LATEST_DATE))) {
    throw readError('invalid-request', `${field} (${text}) must lie between ${EARLIEST_DATE} and ${LATEST_DATE}`);
  }
  return ms;
}

/**
 * A limit of N days admits N local days, and a day on which the clocks go back has 25 hours: the
 * October of most of Europe is 31 days and an hour, and so is a local week around its last Sunday
 * (the web app's devices page asks for 7 local days). No zone shifts its clock by more than an hour.
 */
const CLOCK_CHANGE_MS = 3_600_000;

export function parseRange(query: { from: string; to: string }, maxSeconds: number): { fromMs: number; toMs: number } {
  const fromMs = boundedDate('from', query.from);
  const toMs = boundedDate('to', query.to);
  if (!(fromMs < toMs)) throw readError('invalid-range', `from (${query.from}) must be before to (${query.to})`);
  if (toMs - fromMs > maxSeconds * 1000 + CLOCK_CHANGE_MS) throw readError('invalid-range', `the range may span at most ${maxSeconds / DAY_S} days`);
  return { fromMs, toMs };
}
