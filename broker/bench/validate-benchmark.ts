// Cost of the broker's per-publish check: the wire-format scan it runs first
// (broker/container-scan.ts), and the full path it falls back to, decoding a container and
// validating it against its topic (broker/validate-container.ts), against decoding alone. Prints the fastest of several rounds,
// since this VM's speed drifts between rounds.
// Run: npx tsx broker/bench/validate-benchmark.ts
import { decodeContainer } from '../../proto/container.js';
import { buildPayload } from '../../loadtest/perftest/payload.js';
import { scanReadingsPublish } from '../container-scan.js';
import { validateReadingsPublish, type ValidationLimits } from '../validate-container.js';

const ROUNDS = 5;
const PER_ROUND = 200_000;
const nowMs = Date.now();
const households = 50;
// What the perftest fleet sends: 11 readings, 11 distinct socket ids.
const payloads = Array.from({ length: 500 }, (_, i) => buildPayload({ householdId: `h${i % households}`, agentId: 'a1', baseMs: nowMs - 1000 }, i + 1, 11, 0, nowMs));
const topics = Array.from({ length: households }, (_, i) => ({ householdId: `h${i}`, agentId: 'a1', kind: 'readings' as const }));
const limits: ValidationLimits = { maxContainerBytes: 65_536, maxMeasurementsPerContainer: 1000, maxDeviceIdChars: 128, maxReadingAgeMs: 30 * 86_400_000, maxFutureSkewMs: 300_000 };

type Way = 'decode' | 'validate' | 'scan';

function round(way: Way): number {
  let accepted = 0;
  const started = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const payload = payloads[i % payloads.length] as Uint8Array;
    const topic = topics[(i % payloads.length) % households] as (typeof topics)[number];
    if (way === 'scan') {
      if (scanReadingsPublish(topic, payload, nowMs, limits)) accepted++;
    } else if (way === 'validate') {
      if (validateReadingsPublish(topic, payload, nowMs, limits).ok) accepted++;
    } else if (decodeContainer(payload).seq > 0) accepted++;
  }
  if (accepted !== PER_ROUND) throw new Error(`only ${accepted} of ${PER_ROUND} accepted`);
  return ((performance.now() - started) * 1000) / PER_ROUND;
}

const best: Record<Way, number> = { decode: Number.POSITIVE_INFINITY, validate: Number.POSITIVE_INFINITY, scan: Number.POSITIVE_INFINITY };
for (let r = 0; r < ROUNDS; r++) {
  for (const way of ['decode', 'validate', 'scan'] as const) best[way] = Math.min(best[way], round(way));
}
console.log(
  `decode only: ${best.decode.toFixed(2)} µs per container; decode + validate: ${best.validate.toFixed(2)} µs ` +
    `(checks ${(best.validate - best.decode).toFixed(2)} µs); wire-format scan: ${best.scan.toFixed(2)} µs; ` +
    `best of ${ROUNDS} rounds of ${PER_ROUND.toLocaleString('en-US')}`,
);
