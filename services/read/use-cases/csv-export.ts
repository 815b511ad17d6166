// CSV export of raw readings, streamed an hour of data at a time so that memory stays flat for
// any range. The first window is read before the response starts, so an unreachable InfluxDB is
// still a clean 503 rather than a truncated file.
import { Readable } from 'node:stream';
import { csvRow } from '../domain/csv.js';
import { HOUR_MS } from '../domain/durations.js';
import type { ActivityQueries, ExportRow } from '../influx/activity-queries.js';

export const CSV_HEADER = csvRow(['time', 'agent', 'device', 'quantity', 'value', 'seq']);

export async function csvExport(
  activity: ActivityQueries,
  request: { householdId: string; deviceId?: string; fromMs: number; toMs: number },
): Promise<Readable> {
  const windowRows = async (startMs: number): Promise<ExportRow[]> => {
    const rows = await activity.rawPoints({ householdId: request.householdId, deviceId: request.deviceId, fromMs: startMs, toMs: Math.min(startMs + HOUR_MS, request.toMs) });
    return rows.sort((a, b) => a.timeMs - b.timeMs || a.device.localeCompare(b.device) || a.quantity.localeCompare(b.quantity));
  };
  const firstRows = await windowRows(request.fromMs);
  async function* lines(): AsyncGenerator<string> {
    yield CSV_HEADER;
    let rows = firstRows;
    for (let start = request.fromMs; start < request.toMs; start += HOUR_MS) {
      if (start !== request.fromMs) rows = await windowRows(start);
      if (rows.length > 0) yield rows.map((r) => csvRow([new Date(r.timeMs).toISOString(), r.agent, r.device, r.quantity, r.value, r.seq ?? ''])).join('');
    }
  }
  return Readable.from(lines());
}
