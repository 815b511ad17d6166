// History for the live benchmark's latency phase: one household with a year of readings every
// 10 minutes and the last day every 10 s (three simulated devices, power and energy counter), written
// to InfluxDB and rolled up as the read service's continuous queries would.
import { createInfluxClient } from '../../services/read/influx/influx-client.js';
import { backfillRollups } from '../../services/read/influx/rollup-backfill.js';
import type { RetentionLayout } from '../../services/read/influx/rollup-layout.js';
import { simulatedLines, writeInBatches } from '../../services/read/test/support/simulated-lines.js';
import { silentLogger } from '../../lib/log.js';

const DAY_MS = 86_400_000;

export interface HistoryFixture {
  readonly householdId: string;
  readonly lines: number;
  readonly writeMs: number;
  readonly rollupMs: number;
}

export async function writeHistory(options: { influxUrl: string; layout: RetentionLayout; rawPolicy: string; householdId: string; nowMs: number }): Promise<HistoryFixture> {
  const dayStart = Math.floor(options.nowMs / 600_000) * 600_000 - DAY_MS;
  const yearStart = dayStart - 365 * DAY_MS;
  const common = { householdId: options.householdId, agentId: 'meter', originMs: yearStart - 3_600_000 };
  const lines = [
    ...simulatedLines({ ...common, fromMs: yearStart, toMs: dayStart, stepMs: 600_000 }),
    ...simulatedLines({ ...common, fromMs: dayStart, toMs: options.nowMs, stepMs: 10_000 }),
  ];
  const client = createInfluxClient({ url: options.influxUrl, database: options.layout.database, timeoutMs: 120_000 });
  const started = performance.now();
  await writeInBatches(async (batch) => {
    const response = await fetch(`${options.influxUrl}/write?db=${options.layout.database}&precision=ms`, { method: 'POST', body: batch.join('\n') });
    if (response.status !== 204) throw new Error(`InfluxDB /write ${response.status}: ${await response.text()}`);
  }, lines);
  const written = performance.now();
  await backfillRollups(client, options.layout, options.rawPolicy, { fromMs: yearStart, toMs: options.nowMs }, silentLogger());
  return { householdId: options.householdId, lines: lines.length, writeMs: written - started, rollupMs: performance.now() - written };
}
