// Live subscribers (the read service's SSE fan-out, the alerts service) get a valid readings
// publish as soon as it is validated, while its journal commit is still on the way to disk.
// Aedes itself forwards only after authorizePublish, i.e. after the fsync, which put the journal's
// commit latency on every live reading: publish→SSE p99 35–55 ms against 11–16 ms forwarding
// early (bench:live, docs/benchmarks.md).
// The PUBACK still waits for the commit: "acknowledged ⇒ durable" is unchanged. What changes is
// that a subscriber may see a reading whose commit then fails; the device gets no PUBACK and
// resends it, so the subscriber sees it again (same agent and seq). Live subscriptions are QoS 0,
// best effort, and consumers key readings by agent and seq.
import { TOPIC_PREFIX } from '../proto/topics.js';
import type { HeldBackPayloads } from './held-back-payloads.js';
import type { LiveForward } from './live-forward.js';

export interface ForwardEarly {
  /**
   * Forwards a validated readings publish now, and holds the original back from Aedes' own forward.
   * Plain arguments: it runs for every publish, subscribed to or not.
   */
  forward(topic: string, payload: Buffer, qos: 0 | 1 | 2): void;
  /** Told every subscription made; forwarding starts with the first that can match a readings topic. */
  noteSubscribed(filters: readonly string[]): void;
}

const READINGS_LEVELS = [...TOPIC_PREFIX.split('/'), undefined, undefined, 'readings'];

/**
 * Whether an MQTT topic filter can match some `em/v1/{household}/{agent}/readings` topic
 * ([MQTT-4.7.1]: `+` matches one level, `#` the rest; wildcards never match a `$` topic, which
 * ours are not).
 */
export function filterMayMatchReadings(filter: string): boolean {
  const levels = filter.split('/');
  for (const [i, expected] of READINGS_LEVELS.entries()) {
    const level = levels[i];
    if (level === undefined) return false;
    if (level === '#') return true;
    if (level !== '+' && expected !== undefined && level !== expected) return false;
  }
  // `x/#` also matches `x` itself [MQTT-4.7.1-2].
  return levels.length === READINGS_LEVELS.length || (levels.length === READINGS_LEVELS.length + 1 && levels.at(-1) === '#');
}

export function createForwardEarly(live: LiveForward, heldBack: HeldBackPayloads): ForwardEarly {
  // Until someone subscribes to readings there is nobody to forward to, and an extra publish
  // through Aedes costs the broker about 9 % of its CPU per message (bench: broker-only at
  // 5,000 msgs/s). Once on it stays on: an unneeded forward costs CPU, never correctness.
  let anySubscriber = false;
  return {
    forward(topic, payload, qos) {
      if (!anySubscriber) return;
      // The original publish is dropped when Aedes forwards it after the commit; this copy (a new
      // Buffer over the same bytes, so it is not held back) is forwarded now.
      heldBack.holdBack(payload);
      live.forward({ cmd: 'publish', topic, payload: payload.subarray(0), qos, retain: false, dup: false });
    },
    noteSubscribed(filters) {
      if (!anySubscriber) anySubscriber = filters.some(filterMayMatchReadings);
    },
  };
}
