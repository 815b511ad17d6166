// Cost of the broker's per-publish check: the wire-format scan it runs first
// (broker/container-scan.ts), and the full path it falls back to, decoding a container and
// validating it against its topic (broker/validate-container.ts), against decoding alone; and the
// scan with the per-agent device bound after it, as the broker runs them (device ids hashed during
// the scan, then looked up in the agent's table: broker/agent-device-bound.ts); and the count of
// readings the per-agent readings pace takes before all of them (countMeasurements). Prints the fastest
// of several rounds, since this VM's speed drifts between rounds.
// Run: npx tsx broker/bench/validate-benchmark.ts
import { decodeContainer } from '../../proto/container.js';
import { buildPayload } from '../../loadtest/perftest/payload.js';
import { scanReadingsPublish } from '../container-scan.js';
import { validateReadingsPublish, type ValidationLimits } from '../validate-container.js';
import { createAgentDeviceBound } from '../agent-device-bound.js';
import { DeviceIdHashes } from '../device-id-hashes.js';
import { readingsTopic } from '../../proto/topics.js';
import { countMeasurements } from '../../proto/wire-cursor.js';

const ROUNDS = 5;
const PER_ROUND = 200_000;
const nowMs = Date.now();
const households = 50;
// What the perftest fleet sends: 11 readings, 11 distinct socket ids.
const payloads = Array.from({ length: 500 }, (_, i) => buildPayload({ householdId: `h${i % households}`, agentId: 'a1', baseMs: nowMs - 1000 }, i + 1, 11, 0, nowMs));
const topics = Array.from({ length: households }, (_, i) => ({ householdId: `h${i}`, agentId: 'a1', kind: 'readings' as const }));
const limits: ValidationLimits = { maxContainerBytes: 65_536, maxMeasurementsPerContainer: 1000, maxDeviceIdChars: 128, maxReadingAgeMs: 30 * 86_400_000, maxFutureSkewMs: 300_000 };

const topicNames = topics.map((t) => readingsTopic(t.householdId, t.agentId));
const deviceBound = createAgentDeviceBound({ maxDevicesPerAgent: 256, windowMs: 86_400_000 });
const devices = new DeviceIdHashes();

type Way = 'decode' | 'validate' | 'scan' | 'scan+devices' | 'count';

function round(way: Way): number {
  let accepted = 0;
  const started = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const payload = payloads[i % payloads.length] as Uint8Array;
    const topic = topics[(i % payloads.length) % households] as (typeof topics)[number];
    if (way === 'count') {
      if (countMeasurements(payload) === 11) accepted++;
    } else if (way === 'scan') {
      if (scanReadingsPublish(topic, payload, nowMs, limits)) accepted++;
    } else if (way === 'scan+devices') {
      const agent = topicNames[(i % payloads.length) % households] as string;
      if (scanReadingsPublish(topic, payload, nowMs, limits, devices) && deviceBound.admit(agent, devices, nowMs) === undefined) accepted++;
    } else if (way === 'validate') {
      if (validateReadingsPublish(topic, payload, nowMs, limits).ok) accepted++;
    } else if (decodeContainer(payload).seq > 0) accepted++;
  }
  if (accepted !== PER_ROUND) throw new Error(`only ${accepted} of ${PER_ROUND} accepted`);
  return ((performance.now() - started) * 1000) / PER_ROUND;
}

const best: Record<Way, number> = { decode: Infinity, validate: Infinity, scan: Infinity, 'scan+devices': Infinity, count: Infinity };
for (let r = 0; r < ROUNDS; r++) {
  for (const way of ['decode', 'validate', 'scan', 'scan+devices', 'count'] as const) best[way] = Math.min(best[way], round(way));
}
console.log(
  `decode only: ${best.decode.toFixed(2)} µs per container; decode + validate: ${best.validate.toFixed(2)} µs ` +
    `(checks ${(best.validate - best.decode).toFixed(2)} µs); wire-format scan: ${best.scan.toFixed(2)} µs; ` +
    `scan with the device bound: ${best['scan+devices'].toFixed(2)} µs; readings count for the pace: ${best.count.toFixed(2)} µs; ` +
    `best of ${ROUNDS} rounds of ${PER_ROUND.toLocaleString('en-US')}`,
);
