// Wires the readings fast path (readings-fast-path.ts, decision 011) onto Aedes: the subscriptions
// that decide whether its publishes are forwarded, and the Aedes events that hand it each accepted
// client and keep a client's publishes in order.
import type { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import type { AuthorizePublishHandler } from './aedes-types.js';
import type { BrokerConfig } from './config.js';
import { filterMayMatchReadings, type ForwardEarly } from './forward-early.js';
import type { HeldBackPayloads } from './held-back-payloads.js';
import type { LiveForward } from './live-forward.js';
import { registerFastPathMetric } from './metrics.js';
import { createReadingsFastPath, type ReadingsFastPath } from './readings-fast-path.js';

export interface ReadingsFastPathParts {
  readonly authorizePublish: AuthorizePublishHandler;
  readonly heldBack: HeldBackPayloads;
  readonly live: LiveForward;
  /** Told every subscription made, fast path or not. */
  readonly forwardEarly: ForwardEarly | undefined;
  readonly registry: Registry;
}

/** Undefined when EM_BROKER_READINGS_FAST_PATH is off; the subscriptions are watched either way. */
export function attachReadingsFastPath(aedes: Aedes, config: Readonly<Pick<BrokerConfig, 'readingsFastPath'>>, parts: ReadingsFastPathParts): ReadingsFastPath | undefined {
  const { heldBack, live, forwardEarly } = parts;
  // Whether anyone can receive readings: until then the fast path forwards nothing (as forward-early.ts).
  let readingsSubscribed = false;
  aedes.on('subscribe', (subscriptions) => {
    const filters = subscriptions.map((s) => s.topic);
    forwardEarly?.noteSubscribed(filters);
    if (!readingsSubscribed) readingsSubscribed = filters.some(filterMayMatchReadings);
  });
  const fastPath = config.readingsFastPath
    ? createReadingsFastPath({
        authorizePublish: parts.authorizePublish,
        forward(packet) {
          // Refused (dead-lettered) or forwarded early already: Aedes' own forward would drop it too.
          if (readingsSubscribed && !heldBack.isHeldBack(packet.payload as Buffer)) live.forward(packet);
        },
      })
    : undefined;
  if (fastPath !== undefined) {
    aedes.on('client', (client) => fastPath.attach(client.conn, client));
    // Aedes has published one of a client's PUBLISH packets: the fast path keeps their order.
    aedes.on('publish', (_packet, client) => {
      if (client !== null) fastPath.publishedByAedes(client);
    });
    registerFastPathMetric(parts.registry, () => fastPath.taken());
  }
  return fastPath;
}
