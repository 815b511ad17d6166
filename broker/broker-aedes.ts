// The Aedes instance the broker runs: our hooks in its options, and how it delivers to persistent
// sessions and to subscribers that stop reading.
import { Aedes } from 'aedes';
import type { Logger } from '../lib/log.js';
import type { AuthorizeForwardHandler, AuthorizePublishHandler } from './aedes-types.js';
import type { AuthHooks } from './auth-hooks.js';
import type { BrokerConfig } from './config.js';
import type { BrokerMetrics } from './metrics.js';
import { markRedeliveries } from './redelivery-dup.js';
import { boundSessionQueues } from './session-queue-bound.js';
import { watchSlowConsumers } from './slow-consumers.js';

export interface BrokerAedesHooks {
  readonly auth: AuthHooks;
  readonly authorizePublish: AuthorizePublishHandler;
  readonly authorizeForward: AuthorizeForwardHandler;
}

export function createBrokerAedes(config: Readonly<Pick<BrokerConfig, 'slowConsumerTimeoutMs'>>, hooks: BrokerAedesHooks): Promise<Aedes> {
  return Aedes.createBroker({
    ...hooks.auth.aedesOptions,
    authorizePublish: hooks.authorizePublish,
    authorizeForward: hooks.authorizeForward,
    // A subscriber whose socket stays full this long is disconnected: until then deliveries to
    // everyone wait for it (live-forward.ts). Aedes' default is 60 s.
    drainTimeout: config.slowConsumerTimeoutMs,
  });
}

/** Called once, on the new instance before it has clients. */
export function attachDeliveryPolicies(
  aedes: Aedes,
  config: Readonly<Pick<BrokerConfig, 'maxQueuedMessagesPerSession' | 'slowConsumerTimeoutMs'>>,
  metrics: BrokerMetrics,
  log: Logger,
): void {
  // A resumed session's re-sent publishes carry DUP 1 [MQTT-3.3.1-1].
  markRedeliveries(aedes);
  boundSessionQueues(aedes, {
    maxMessagesPerSession: config.maxQueuedMessagesPerSession,
    onDropped: () => metrics.sessionMessagesDropped.inc(),
    log,
  });
  watchSlowConsumers(aedes, {
    timeoutMs: config.slowConsumerTimeoutMs,
    onDisconnected: () => metrics.slowConsumersDisconnected.inc(),
    log,
  });
}
