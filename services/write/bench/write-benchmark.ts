// End-to-end drain rate: fills an LMDB journal with containers, then times the write service
// emptying it into InfluxDB. Needs a disposable InfluxDB (it creates and drops its own database).
// Run: EM_BENCH_INFLUX_URL=http://127.0.0.1:8086 npx tsx services/write/bench/write-benchmark.ts
// Optional: EM_BENCH_CONTAINERS (default 50000, 11 readings each), EM_WRITE_* settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLmdbJournal } from '../../../lib/journal/lmdb-journal.js';
import { silentLogger } from '../../../lib/log.js';
import { encodeContainer } from '../../../proto/container.js';
import { QUANTITIES } from '../../../proto/quantities.js';
import { createWriteService } from '../app.js';
import { loadWriteConfig } from '../config.js';

const url = process.env.EM_BENCH_INFLUX_URL ?? 'http://127.0.0.1:8086';
const containers = Number(process.env.EM_BENCH_CONTAINERS ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'em-write-bench-'));
const database = `write_bench_${process.pid}`;

// Both roles: this process appends, and the write service it starts consumes through the same handle.
const journal = await openLmdbJournal(join(dir, 'journal'), 'both', { durable: false });
const nowMs = Date.now();
for (let seq = 1; seq <= containers; seq++) {
  const createdAtMs = nowMs - 3_600_000 + seq;
  const measurements = Array.from({ length: 11 }, (_, i) => ({
    deviceId: `plug-${i % 4}`,
    quantity: QUANTITIES[i % QUANTITIES.length] ?? 'power_w',
    value: Math.round(2300 + Math.random() * 100) / 10,
    timestampMs: createdAtMs,
  }));
  void journal.appendContainer(encodeContainer({ householdId: `h-${seq % 5000}`, agentId: `a-${seq % 5000}`, seq, createdAtMs, measurements }));
}
await journal.appendContainer(encodeContainer({ householdId: 'h', agentId: 'a', seq: 1, createdAtMs: nowMs, measurements: [] }));

const config = loadWriteConfig({
  ...process.env,
  EM_WRITE_INFLUX_URL: url,
  EM_WRITE_INFLUX_DB: database,
  EM_WRITE_JOURNAL_PATH: join(dir, 'journal'),
  EM_WRITE_DEAD_LETTER_PATH: join(dir, 'dead-letters'),
  EM_WRITE_METRICS_PORT: '0',
});
const service = createWriteService(config, { log: silentLogger(), journal });
const started = performance.now();
const cpuBefore = process.cpuUsage();
await service.start();
while (journal.depth().entries > 0) await new Promise((resolve) => setTimeout(resolve, 10));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const points = (await service.metrics.pointsWritten.get()).values[0]?.value ?? 0;
await service.stop();
await journal.close();
await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
rmSync(dir, { recursive: true, force: true });
console.log(
  `${points.toLocaleString('en')} points in ${seconds.toFixed(2)} s: ${Math.round(points / seconds).toLocaleString('en')} points/s ` +
    `(batch ${config.maxBatchLines} lines, ${config.maxRequestsInFlight} in flight, gzip ${config.influx.gzip}; ` +
    `this process at ${Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100)}% CPU)`,
);
