// What InfluxDB holds, summarised per (agent, seq): point count and earliest timestamp. Reads
// one household at a time (the `household` tag) so memory stays proportional to one household.
import { postInfluxQuery } from '../../infra/influx-http.js';
import type { StoredContainerSummary } from './loss-classifier.js';

/** InfluxQL string literal: backslash and single quote escaped. */
function literal(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export async function storedContainersOf(influxUrl: string, database: string, householdId: string): Promise<StoredContainerSummary[]> {
  const series = await postInfluxQuery(
    influxUrl,
    `SELECT "seq" FROM "reading" WHERE "household" = ${literal(householdId)} GROUP BY "agent"`,
    database,
  );
  const summaries: StoredContainerSummary[] = [];
  for (const s of series) {
    const agentId = s.tags['agent'] ?? '';
    const timeColumn = s.columns.indexOf('time');
    const seqColumn = s.columns.indexOf('seq');
    const bySeq = new Map<number, { points: number; firstTimestampMs: number }>();
    for (const row of s.values) {
      const seq = Number(row[seqColumn]);
      const timestampMs = Number(row[timeColumn]);
      const entry = bySeq.get(seq);
      if (entry === undefined) bySeq.set(seq, { points: 1, firstTimestampMs: timestampMs });
      else {
        entry.points++;
        entry.firstTimestampMs = Math.min(entry.firstTimestampMs, timestampMs);
      }
    }
    for (const [seq, entry] of bySeq) summaries.push({ householdId, agentId, seq, ...entry });
  }
  return summaries;
}
