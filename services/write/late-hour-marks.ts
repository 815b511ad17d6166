// Marks for the read model: which hours just received readings too old for the continuous queries
// to fold in (docs/decisions/008-read-model.md). The rollups are filled by continuous queries that
// only look back a few minutes (rollup_1m: the last 10 minutes, every minute); a reading written
// later than that — an agent's outbox after an outage — reaches the rollups only when the read
// service repairs its hour. InfluxDB 1.x keeps no ingest time, so without a mark the read service
// could only find such hours by counting raw points over weeks. With one, it repairs them within
// its polling interval.
//
// A mark is a point `late_hour,hour=<hour start ms> containers=<n>i <write time ms>`: stamped
// with the write time, so it lives in the default policy like the readings and the read service
// asks for the marks written since it last looked. One series per hour, so marks of the same hour
// in one batch are one point, and two writers' marks at the same millisecond overwrite each other
// harmlessly.
import type { BatchEntry } from './batch-assembler.js';

export const LATE_HOUR_MEASUREMENT = 'late_hour';

/**
 * Readings older than this when written are marked. The 1-minute rollup's query looks back 10
 * minutes every minute; 8 leaves it a minute of margin and the write's own duration.
 */
export const LATE_AFTER_MS = 8 * 60_000;

const HOUR_MS = 3_600_000;

/**
 * Hours one container marks at most: a container spans seconds to a minute of readings; a longer
 * span (a mis-set clock) marks its newest hours only, and the read service's periodic
 * reconciliation still covers the rest.
 */
const MAX_HOURS_PER_CONTAINER = 48;

export interface LateHourMarks {
  readonly body: string;
  readonly lineCount: number;
}

/** The marks for a batch's late readings, or undefined when none is late. */
export function lateHourMarks(entries: readonly BatchEntry[], nowMs: number): LateHourMarks | undefined {
  const lateBeforeMs = nowMs - LATE_AFTER_MS;
  const containersByHour = new Map<number, number>();
  for (const entry of entries) {
    if (entry.oldestReadingMs < 0 || entry.oldestReadingMs >= lateBeforeMs) continue;
    const newestHour = Math.floor(Math.min(entry.newestReadingMs, lateBeforeMs) / HOUR_MS) * HOUR_MS;
    const oldestHour = Math.max(Math.floor(entry.oldestReadingMs / HOUR_MS) * HOUR_MS, newestHour - (MAX_HOURS_PER_CONTAINER - 1) * HOUR_MS);
    for (let hour = oldestHour; hour <= newestHour; hour += HOUR_MS) containersByHour.set(hour, (containersByHour.get(hour) ?? 0) + 1);
  }
  if (containersByHour.size === 0) return undefined;
  const lines = [...containersByHour].map(([hour, containers]) => `${LATE_HOUR_MEASUREMENT},hour=${hour} containers=${containers}i ${nowMs}`);
  return { body: lines.join('\n'), lineCount: lines.length };
}
