// What the fleet produced, keyed the way InfluxDB stores it, for exact comparisons after a run.
import type { ReadingContainer } from '../../proto/container.js';
import { queryInflux } from './influx-database.js';

export type PointKey = string;

export function pointKey(agentId: string, deviceId: string, quantity: string, timestampMs: number): PointKey {
  return JSON.stringify([agentId, deviceId, quantity, timestampMs]);
}

export class ExpectedReadings {
  readonly points = new Map<PointKey, { value: number; seq: number }>();
  readonly households = new Set<string>();

  add(container: ReadingContainer): void {
    this.households.add(container.householdId);
    for (const m of container.measurements) {
      this.points.set(pointKey(container.agentId, m.deviceId, m.quantity, m.timestampMs), { value: m.value, seq: container.seq });
    }
  }
}

/** Every stored point of the given households, by key. Throws if one key is stored twice. */
export async function storedReadings(url: string, db: string, households: Iterable<string>): Promise<Map<PointKey, { value: number; seq: number }>> {
  const stored = new Map<PointKey, { value: number; seq: number }>();
  for (const household of households) {
    const series = await queryInflux(url, db, `SELECT "value", "seq" FROM "reading" WHERE "household" = '${household}' GROUP BY "agent", "device", "quantity"`);
    for (const s of series) {
      const [iTime, iValue, iSeq] = ['time', 'value', 'seq'].map((c) => s.columns.indexOf(c));
      for (const row of s.values) {
        const key = pointKey(s.tags.agent ?? '', s.tags.device ?? '', s.tags.quantity ?? '', Number(row[iTime ?? 0]));
        if (stored.has(key)) throw new Error(`point stored twice: ${key}`);
        stored.set(key, { value: Number(row[iValue ?? 1]), seq: Number(row[iSeq ?? 2]) });
      }
    }
  }
  return stored;
}
