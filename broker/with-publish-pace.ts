// Puts the per-agent publish pace (agent-publish-pace.ts) in front of the readings path of
// authorizePublish: after the topic ACL (so the topic is the publisher's own), before the journal's
// backpressure, validation and the append, so a paced publish costs no CPU or disk while it waits.
// Its readings are counted from the wire format (countMeasurements: a walk over the top-level
// fields, 0.09 µs for 11 readings: `npx tsx broker/bench/validate-benchmark.ts`), never fewer than
// the validator will find, and only while the readings meter is on. Other topics pass untouched.
import type { AuthorizePublishHandler } from './aedes-types.js';
import type { AgentPublishPace } from './agent-publish-pace.js';
import type { BrokerMetrics } from './metrics.js';
import { parseAgentTopic } from '../proto/topics.js';
import { countMeasurements } from '../proto/wire-cursor.js';

/**
 * `maxReadingsPerPublish` is the validator's EM_BROKER_MAX_MEASUREMENTS_PER_CONTAINER: no publish
 * stores more points than that, so none costs more, however many its bytes could hold (a 200 KB
 * unreadable payload would otherwise count as 100,000).
 */
export function withPublishPace(
  pace: AgentPublishPace,
  metrics: Pick<BrokerMetrics, 'publishesPaced' | 'publishPaceDelaySeconds'>,
  authorize: AuthorizePublishHandler,
  maxReadingsPerPublish: number,
): AuthorizePublishHandler {
  return (client, packet, callback) => {
    if (parseAgentTopic(packet.topic)?.kind !== 'readings') {
      authorize(client, packet, callback);
      return;
    }
    // The readings topic names household and agent, and nothing else: it is the agent's key.
    const delayMs = pace.admit(packet.topic, pace.countsReadings ? readingsOf(packet.payload, maxReadingsPerPublish) : 1, () => {
      // Gone while it waited (its connection closed, or was taken over): the agent resends it on
      // its next connection, so validating and journaling this one would only add a duplicate.
      if (client?.closed === true) callback(new Error('connection closed while its publish was paced'));
      else authorize(client, packet, callback);
    });
    if (delayMs > 0) {
      metrics.publishesPaced.inc();
      metrics.publishPaceDelaySeconds.observe(delayMs / 1000);
    }
  };
}

/** A publish's cost to the readings meter: its measurements, at most what any publish stores. */
function readingsOf(payload: Buffer | string, maxReadingsPerPublish: number): number {
  return Math.min(countMeasurements(typeof payload === 'string' ? Buffer.from(payload) : payload), maxReadingsPerPublish);
}
