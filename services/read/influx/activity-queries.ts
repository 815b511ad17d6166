// Raw-data questions about a household: when each device was last heard, the sequence numbers of
// the containers that arrived (completeness), and the points of a window (CSV export).
import type { InfluxClient } from './influx-client.js';
import { ident, step, str } from './influxql.js';
import { MEASUREMENT } from './rollup-layout.js';
import { fromClause, whereClause, type ReadingFilter, type ReadingsLocation } from './readings-source.js';
import { readSeries } from './series-rows.js';

export interface LastSeen {
  readonly agent: string;
  readonly device: string;
  readonly lastSeenMs: number;
}

export interface SeqRow {
  readonly agent: string;
  readonly device: string;
  readonly seq: number;
  readonly timeMs: number;
}

export interface ExportRow {
  readonly timeMs: number;
  readonly agent: string;
  readonly device: string;
  readonly quantity: string;
  readonly value: number;
  readonly seq: number | undefined;
}

export interface ActivityQueries {
  lastSeen(householdId: string, fromMs: number, toMs: number): Promise<LastSeen[]>;
  /** One row per (agent, device, second with data): the container seq (max within the second). */
  seqRows(householdId: string, fromMs: number, toMs: number): Promise<SeqRow[]>;
  /** Device ids the household has reported (from InfluxDB's tag index, any age). */
  devices(householdId: string): Promise<string[]>;
  /** Raw points of a window, grouped by series. */
  rawPoints(filter: ReadingFilter): Promise<ExportRow[]>;
}

export function createActivityQueries(client: InfluxClient, location: ReadingsLocation): ActivityQueries {
  const raw = (): string => fromClause(location, 'raw');
  return {
    async lastSeen(householdId, fromMs, toMs) {
      const series = await client.query(
        `SELECT last("value") FROM ${raw()} WHERE ${whereClause({ householdId, fromMs, toMs })} GROUP BY ${ident('agent')}, ${ident('device')}`,
      );
      return series.flatMap((s) => {
        const time = readSeries(s).num(0, 'time');
        return time === undefined ? [] : [{ agent: s.tags['agent'] ?? '', device: s.tags['device'] ?? '', lastSeenMs: time }];
      });
    },
    async seqRows(householdId, fromMs, toMs) {
      // Containers come at most about once a second per agent, so one row per second keeps every
      // seq while collapsing the ~10 readings of a container into one.
      const series = await client.query(
        `SELECT max("seq") AS "seq" FROM ${raw()} WHERE ${whereClause({ householdId, fromMs, toMs })} ` +
          `GROUP BY time(${step(1000)}), ${ident('agent')}, ${ident('device')} fill(none)`,
      );
      return series.flatMap((s) => {
        const r = readSeries(s);
        const rows: SeqRow[] = [];
        for (let i = 0; i < r.rows; i += 1) {
          const seq = r.num(i, 'seq');
          const timeMs = r.num(i, 'time');
          if (seq !== undefined && timeMs !== undefined) rows.push({ agent: s.tags['agent'] ?? '', device: s.tags['device'] ?? '', seq, timeMs });
        }
        return rows;
      });
    },
    async devices(householdId) {
      const series = await client.query(`SHOW TAG VALUES FROM ${ident(MEASUREMENT)} WITH KEY = ${ident('device')} WHERE ${ident('household')} = ${str(householdId)}`);
      return series.flatMap((s) => s.values.map((row) => String(row[1])));
    },
    async rawPoints(filter) {
      const series = await client.query(
        `SELECT "value", "seq" FROM ${raw()} WHERE ${whereClause(filter)} GROUP BY ${ident('agent')}, ${ident('device')}, ${ident('quantity')}`,
      );
      return series.flatMap((s) => {
        const r = readSeries(s);
        const rows: ExportRow[] = [];
        for (let i = 0; i < r.rows; i += 1) {
          const timeMs = r.num(i, 'time');
          const value = r.num(i, 'value');
          if (timeMs === undefined || value === undefined) continue;
          rows.push({ timeMs, agent: s.tags['agent'] ?? '', device: s.tags['device'] ?? '', quantity: s.tags['quantity'] ?? '', value, seq: r.num(i, 'seq') });
        }
        return rows;
      });
    },
  };
}
