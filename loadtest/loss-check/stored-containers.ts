// What InfluxDB holds, summarised per (agent, seq): point count, earliest timestamp and, when asked
// for, every point's identity (for the classifier's comparison with the ledger's readingIds).
// Reads one household at a time (the `household` tag) so memory stays proportional to one household.
import { postInfluxQuery } from '../../infra/influx-http.js';
import { storedReading, type StoredReading } from './container-comparison.js';
import type { StoredContainerSummary } from './loss-classifier.js';

/** InfluxQL string literal: backslash and single quote escaped. */
function literal(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

interface Summary {
  readonly agentId: string;
  readonly seq: number;
  points: number;
  firstTimestampMs: number;
  readonly readings?: StoredReading[];
}

/**
 * Every stored container of one household. `identities` adds each point's identity (device,
 * quantity, timestamp, value), which costs a hash a point: the drain polls go without.
 */
export async function storedContainersOf(
  influxUrl: string,
  database: string,
  householdId: string,
  options: { readonly identities?: boolean } = {},
): Promise<StoredContainerSummary[]> {
  const identities = options.identities === true;
  const series = await postInfluxQuery(
    influxUrl,
    `SELECT "seq"${identities ? ', "value"' : ''} FROM "reading" WHERE "household" = ${literal(householdId)} ` +
      `GROUP BY "agent"${identities ? ', "device", "quantity"' : ''}`,
    database,
  );
  const byContainer = new Map<string, Summary>();
  for (const s of series) {
    const { agent: agentId = '', device = '', quantity = '' } = s.tags;
    const [timeColumn, seqColumn, valueColumn] = ['time', 'seq', 'value'].map((name) => s.columns.indexOf(name));
    for (const row of s.values) {
      const seq = Number(row[seqColumn ?? -1]);
      const timestampMs = Number(row[timeColumn ?? -1]);
      const key = `${agentId}\u0000${seq}`;
      let summary = byContainer.get(key);
      if (summary === undefined) {
        summary = { agentId, seq, points: 0, firstTimestampMs: timestampMs, ...(identities ? { readings: [] } : {}) };
        byContainer.set(key, summary);
      }
      summary.points++;
      summary.firstTimestampMs = Math.min(summary.firstTimestampMs, timestampMs);
      summary.readings?.push(storedReading(device, quantity, timestampMs, Number(row[valueColumn ?? -1])));
    }
  }
  return [...byContainer.values()].map((summary) => ({ householdId, ...summary }));
}
