// Semantic validation of a readings publish, before it is journaled and acknowledged.
// Pure: (topic, payload, now) → container or a refusal with a stable reason code. Every reason is
// documented in docs/dead-letters.md (a test checks that).
import { ContainerDecodeError, decodeContainer, type ReadingContainer } from '../proto/container.js';
import type { AgentTopic } from '../proto/topics.js';
import { tagValueProblem } from '../services/write/line-protocol.js';
import { scanReadingsPublish } from './container-scan.js';
import { hashDeviceId, type DeviceIdHashes } from './device-id-hashes.js';

export const REFUSAL_REASONS = [
  'too-large',
  'decode',
  'topic-mismatch',
  'bad-seq',
  'no-measurements',
  'too-many-measurements',
  'bad-device-id',
  'bad-value',
  'bad-timestamp',
  // Not the container's fault alone: its agent reported too many distinct device ids in the window
  // (agent-device-bound.ts); checked after everything above, by authorize-publish.ts.
  'too-many-devices',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface ValidationLimits {
  readonly maxContainerBytes: number;
  readonly maxMeasurementsPerContainer: number;
  readonly maxDeviceIdChars: number;
  /** Oldest acceptable reading: an agent back from a long outage may backfill up to this far. */
  readonly maxReadingAgeMs: number;
  /** Clock skew we tolerate for readings stamped in the future. */
  readonly maxFutureSkewMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The broker's limits when EM_BROKER_MAX_* are not set (broker/config.ts). The device agent seals
 * against them too: the broker refuses a whole container for one bad reading, so the agent must
 * never seal one it would refuse (device-agent/sealable-containers.ts).
 */
export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = Object.freeze({
  maxContainerBytes: 64 * 1024,
  maxMeasurementsPerContainer: 1000,
  maxDeviceIdChars: 128,
  maxReadingAgeMs: 30 * DAY_MS,
  maxFutureSkewMs: 5 * 60 * 1000,
});

export type Validation =
  | { readonly ok: true; readonly container: ReadingContainer }
  | { readonly ok: false; readonly reason: RefusalReason; readonly detail: string };

const refuse = (reason: RefusalReason, detail: string): Validation => ({ ok: false, reason, detail });

export type Verdict = { readonly ok: true } | Extract<Validation, { ok: false }>;
const ACCEPTED: Verdict = Object.freeze({ ok: true });

/**
 * The broker's check of a readings publish: the wire-format scan (container-scan.ts) for payloads
 * shaped as agents send them, the full decode and validation for everything else. Given `devices`,
 * an accepted container's device ids are hashed into it, whichever way it was checked.
 */
export function checkReadingsPublish(topic: AgentTopic, payload: Uint8Array, nowMs: number, limits: ValidationLimits, devices?: DeviceIdHashes): Verdict {
  if (scanReadingsPublish(topic, payload, nowMs, limits, devices)) return ACCEPTED;
  const validation = validateReadingsPublish(topic, payload, nowMs, limits);
  if (!validation.ok) return validation;
  if (devices !== undefined) hashDeviceIds(validation.container, devices);
  return ACCEPTED;
}

function hashDeviceIds(container: ReadingContainer, devices: DeviceIdHashes): void {
  devices.reset();
  let last: string | undefined;
  for (const { deviceId } of container.measurements) {
    if (deviceId !== last) devices.add(hashDeviceId(deviceId));
    last = deviceId;
  }
}

// C0 controls and DEL: line protocol has no escape for a newline in a tag, and none of them
// belongs in a device name.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function validateReadingsPublish(
  topic: AgentTopic,
  payload: Uint8Array,
  nowMs: number,
  limits: ValidationLimits,
): Validation {
  if (payload.byteLength > limits.maxContainerBytes) {
    return refuse('too-large', `container is ${payload.byteLength} bytes, limit ${limits.maxContainerBytes}`);
  }
  let container: ReadingContainer;
  try {
    container = decodeContainer(payload);
  } catch (err) {
    if (err instanceof ContainerDecodeError) return refuse('decode', err.message);
    throw err;
  }
  if (container.householdId !== topic.householdId || container.agentId !== topic.agentId) {
    return refuse(
      'topic-mismatch',
      `payload says household ${JSON.stringify(container.householdId)} agent ${JSON.stringify(container.agentId)}, ` +
        `topic says household ${JSON.stringify(topic.householdId)} agent ${JSON.stringify(topic.agentId)}`,
    );
  }
  if (!Number.isSafeInteger(container.seq) || container.seq < 1) {
    return refuse('bad-seq', `seq must be a positive integer, got ${container.seq}`);
  }
  const count = container.measurements.length;
  if (count === 0) return refuse('no-measurements', 'container holds no measurements');
  if (count > limits.maxMeasurementsPerContainer) {
    return refuse('too-many-measurements', `${count} measurements, limit ${limits.maxMeasurementsPerContainer}`);
  }
  const createdAtProblem = createdAtMsProblem(container.createdAtMs, nowMs, limits);
  if (createdAtProblem !== undefined) return refuse('bad-timestamp', createdAtProblem);
  const problem = firstMeasurementProblem(container, nowMs, limits);
  return problem ?? { ok: true, container };
}

/**
 * When the agent sealed the container: 0 means not stated (proto3 cannot tell it from absent);
 * anything else must lie in the readings' window. The write service reports its lag from it, and
 * one container stamped 1970 would have added 56 years to that metric's sum.
 */
function createdAtMsProblem(createdAtMs: number, nowMs: number, limits: ValidationLimits): string | undefined {
  if (createdAtMs === 0) return undefined;
  const oldest = nowMs - limits.maxReadingAgeMs;
  const newest = nowMs + limits.maxFutureSkewMs;
  if (Number.isSafeInteger(createdAtMs) && createdAtMs >= oldest && createdAtMs <= newest) return undefined;
  return `created_at_ms ${createdAtMs} outside [${oldest}, ${newest}] (now ${nowMs})`;
}

function firstMeasurementProblem(container: ReadingContainer, nowMs: number, limits: ValidationLimits): Validation | undefined {
  const oldest = nowMs - limits.maxReadingAgeMs;
  const newest = nowMs + limits.maxFutureSkewMs;
  let lastGoodDeviceId: string | undefined;
  for (const [i, m] of container.measurements.entries()) {
    // Containers list several quantities of one device in a row: check each id once.
    if (m.deviceId !== lastGoodDeviceId) {
      const idProblem = deviceIdProblem(m.deviceId, limits.maxDeviceIdChars);
      if (idProblem !== undefined) return refuse('bad-device-id', `measurement ${i}: ${idProblem}`);
      lastGoodDeviceId = m.deviceId;
    }
    if (!Number.isFinite(m.value)) return refuse('bad-value', `measurement ${i}: value ${m.value} is not finite`);
    if (!Number.isSafeInteger(m.timestampMs) || m.timestampMs < oldest || m.timestampMs > newest) {
      return refuse(
        'bad-timestamp',
        `measurement ${i}: timestamp ${m.timestampMs} outside [${oldest}, ${newest}] (now ${nowMs})`,
      );
    }
  }
  return undefined;
}

/** Why the broker refuses readings of `deviceId` (the device agent checks plug names with it too), or undefined. */
export function deviceIdProblem(deviceId: string, maxChars: number): string | undefined {
  if (deviceId.length === 0) return 'device id is empty';
  // Characters are code points; a string has at most as many as UTF-16 units, so only a long one
  // needs counting.
  if (deviceId.length > maxChars) {
    const chars = [...deviceId].length;
    if (chars > maxChars) return `device id has ${chars} characters, limit ${maxChars}`;
  }
  if (CONTROL_CHARS.test(deviceId)) return `device id ${JSON.stringify(deviceId)} contains a control character`;
  if (LONE_SURROGATE.test(deviceId)) return 'device id is not well-formed Unicode';
  return tagValueProblem(deviceId);
}
