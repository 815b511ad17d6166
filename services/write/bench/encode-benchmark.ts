// Encoding throughput of the hot path: decode → line protocol → batch body (→ gzip).
// Run: npx vite-node services/write/bench/encode-benchmark.ts (plain node/tsx cannot load
// proto/gen/readings.js yet: it imports protobufjs/minimal.js as a namespace, which Node's CJS
// interop leaves without `roots`).
import { gzipSync } from 'node:zlib';
import { decodeContainer, encodeContainer, type ReadingContainer } from '../../../proto/container.js';
import { QUANTITIES } from '../../../proto/quantities.js';
import { appendContainerLines } from '../line-protocol.js';

const CONTAINERS = 50_000;
const DEVICES = ['meter-main', 'plug-1', 'plug-2', 'kitchen plug'];

function sampleContainer(seq: number): ReadingContainer {
  const createdAtMs = 1_700_000_000_000 + seq * 1000;
  const measurements = Array.from({ length: 11 }, (_, i) => ({
    deviceId: DEVICES[i % DEVICES.length] ?? 'x',
    quantity: QUANTITIES[i % QUANTITIES.length] ?? 'power_w',
    value: 230 + Math.random() * 10,
    timestampMs: createdAtMs - i,
  }));
  return { householdId: `household-${seq % 20_000}`, agentId: `agent-${seq % 20_000}`, seq, createdAtMs, measurements };
}

const encoded = Array.from({ length: CONTAINERS }, (_, i) => encodeContainer(sampleContainer(i + 1)));

function run(label: string, step: (bytes: Uint8Array, out: string[]) => void, batchLines = 5000): void {
  let lines = 0;
  let bodyBytes = 0;
  let gzipBytes = 0;
  const started = process.hrtime.bigint();
  let batch: string[] = [];
  for (const bytes of encoded) {
    step(bytes, batch);
    if (batch.length >= batchLines) {
      const body = batch.join('\n');
      lines += batch.length;
      bodyBytes += body.length;
      if (label.includes('gzip')) gzipBytes += gzipSync(body, { level: 1 }).length;
      batch = [];
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ratio = gzipBytes > 0 ? `, gzip level 1 ${(bodyBytes / gzipBytes).toFixed(1)}× smaller` : '';
  console.log(`${label}: ${Math.round(lines / seconds).toLocaleString('en')} lines/s${ratio}`);
}

for (let round = 0; round < 2; round++) {
  run('decode + lines + join', (bytes, out) => appendContainerLines(decodeContainer(bytes), out));
  run('decode + lines + join + gzip', (bytes, out) => appendContainerLines(decodeContainer(bytes), out));
}
