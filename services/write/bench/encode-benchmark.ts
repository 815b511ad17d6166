// Encoding cost of the write service's hot path: journaled container → line protocol → the bytes
// of a batch body, by both paths the service has: straight from the wire format (wire-lines.ts,
// containers as agents send them) and through protobufjs (everything else). Prints the fastest of
// several rounds, since this VM's speed drifts between rounds.
// Run: npx tsx services/write/bench/encode-benchmark.ts
import { decodeContainer } from '../../../proto/container.js';
import { buildPayload } from '../../../loadtest/perftest/payload.js';
import { containerToLines } from '../line-protocol.js';
import { linesBody } from '../line-slabs.js';
import { containerLinesFromWire } from '../wire-lines.js';

const ROUNDS = 6;
const BATCH_CONTAINERS = 455; // 5,000 lines of 11 readings: the default batch
const nowMs = Date.now();
// What the perftest fleet sends: 11 readings, 11 distinct socket ids, 50 households.
const payloads = Array.from({ length: BATCH_CONTAINERS * 40 }, (_, i) =>
  Buffer.from(buildPayload({ householdId: `h${i % 50}`, agentId: `a${i % 50}`, baseMs: nowMs - 100_000 }, i + 1, 11, 0, nowMs)),
);

type Path = 'protobufjs' | 'wire';

/** µs per container, from decoding to the body bytes of each batch. */
function round(path: Path): number {
  let bytes = 0;
  const started = performance.now();
  for (let at = 0; at < payloads.length; at += BATCH_CONTAINERS) {
    const batch = payloads.slice(at, at + BATCH_CONTAINERS);
    if (path === 'wire') {
      bytes += linesBody(batch.map((payload) => containerLinesFromWire(payload)?.bytes ?? Buffer.alloc(0))).byteLength;
    } else {
      bytes += Buffer.from(batch.map((payload) => containerToLines(decodeContainer(payload)).join('\n')).join('\n')).byteLength;
    }
  }
  if (bytes === 0) throw new Error('nothing encoded');
  return ((performance.now() - started) * 1000) / payloads.length;
}

for (const path of ['protobufjs', 'wire'] as const) {
  const best = Math.min(...Array.from({ length: ROUNDS }, () => round(path)));
  console.log(`${path}: ${best.toFixed(2)} µs per 11-reading container, decode to body bytes (best of ${ROUNDS})`);
}
