// Broker alone (journal, no writer, no InfluxDB) at a fixed rate: isolates PUBACK latency.
//   npx tsx loadtest/broker-only-probe.ts [rate] [seconds] [durable true|false]
import { spawnService } from '../lib/process/spawn-service.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import { connectPublishers, disconnectPublishers, runLoad } from './lib/load-publisher.js';
import { summarize } from './lib/percentiles.js';

const rate = Number(process.argv[2] ?? 3000);
const seconds = Number(process.argv[3] ?? 10);
const durable = process.argv[4] ?? 'true';
const dir = makeTempDir('probe');
const broker = await spawnService({
  name: 'broker', entry: 'broker/main.ts', readyMessage: 'broker listening',
  // Without credentials: they cost once per CONNECT, not per publish (see ingest-benchmark.ts).
  env: { EM_BROKER_AUTH: 'disabled', EM_BROKER_MQTT_PORT: '0', EM_BROKER_WS_PORT: '0', EM_BROKER_METRICS_PORT: '0', EM_BROKER_JOURNAL_PATH: dir.join('j'), EM_BROKER_DEAD_LETTER_PATH: dir.join('d'), EM_BROKER_JOURNAL_DURABLE: durable },
});
try {
  const options = { brokerUrl: `mqtt://127.0.0.1:${Number(broker.ready.mqttPort)}`, connections: 50, targetRate: rate, readingsPerMessage: 11, durationMs: seconds * 1000, windowPerConnection: 16 };
  const pubs = await connectPublishers(options);
  const result = await runLoad(pubs, options);
  await disconnectPublishers(pubs);
  const s = summarize(result.ackLatenciesMs);
  console.log(JSON.stringify({ rate, durable, acked: result.acked, msgsPerSecond: Math.round((result.acked / result.elapsedMs) * 1000), p50: s.p50.toFixed(2), p99: s.p99.toFixed(2), max: s.max.toFixed(1) }));
} finally {
  await broker.stop();
  dir.remove();
}
