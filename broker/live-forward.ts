// Readings handed to Aedes for its live subscribers by our own code (forward-early.ts, the readings
// fast path), with a bound on what may wait.
//
// Aedes delivers through an emitter that runs a bounded number of messages at a time (its
// `concurrency`, 100) and queues every further one in memory, without limit. A message holds its
// slot until each matching subscriber's socket has taken it; one subscriber that stops reading
// holds every slot its topics touch until Aedes' drain timeout disconnects it
// (EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS). An acceptance test saw the queue reach gigabytes within
// a minute at the default 60 s timeout, and the broker die of a stack overflow while draining it.
//
// Our forwards do not wait for that queue: nothing paces them but the devices. So past a bound
// they are dropped and counted. That loses nothing stored: every reading is in the journal before
// its PUBACK, and live subscribers (the read service's SSE feed, the alerts service) subscribe at
// QoS 0, where MQTT allows a message to be lost [MQTT-4.3.1]. A QoS 1 subscriber to readings misses
// the dropped ones too; that is the documented price of not letting one stalled socket stop the
// broker (docs/guarantees.md).
import type { Aedes, PublishPacket } from 'aedes';

export interface LiveForwardOptions {
  /** Messages the emitter may hold queued before our forwards are dropped instead. */
  readonly maxQueued: number;
  /** Told of each dropped forward (a metric). */
  readonly onDropped: () => void;
}

export interface LiveForward {
  /** Hands a readings publish to Aedes' subscribers, or drops it when too many already wait. */
  forward(packet: PublishPacket): void;
}

/** Aedes' emitter (mqemitter), as far as this reads it: `length` is its queue. */
interface QueuedEmitter {
  readonly length: number;
}

function emitterOf(aedes: Aedes): QueuedEmitter | undefined {
  // Aedes types its emitter as `any`; read only the number, and check that it is one.
  const mq: unknown = (aedes as unknown as { readonly mq?: unknown }).mq;
  if (typeof mq !== 'object' || mq === null || !('length' in mq) || typeof mq.length !== 'number') return undefined;
  return mq as QueuedEmitter;
}

/**
 * About 80 ms of readings at 13,000 msgs/s: rides out a subscriber's short pause. Kept small
 * because the emitter drains its queue by recursion where a message completes at once (no
 * subscriber matches it): the stack overflow above came from a queue of millions.
 */
export const DEFAULT_MAX_QUEUED_FORWARDS = 1000;

/** `broker()` is read at call time: the forwarders are built before the Aedes instance they publish on. */
export function createLiveForward(broker: () => Aedes | undefined, options: LiveForwardOptions): LiveForward {
  let emitter: QueuedEmitter | undefined;
  return {
    forward(packet) {
      const aedes = broker();
      if (aedes === undefined) return;
      emitter ??= emitterOf(aedes);
      if (emitter !== undefined && emitter.length >= options.maxQueued) {
        options.onDropped();
        return;
      }
      aedes.publish(packet, () => undefined);
    },
  };
}
