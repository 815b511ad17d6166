// Builds the broker (Aedes + journal + dead letters + listeners + metrics) without starting it.
import { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import { openDeadLetterStore, type DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { openLmdbJournal } from '../lib/journal/lmdb-journal.js';
import { clipForLog, createLogger, type Logger } from '../lib/log.js';
import { registerFilesystemMetrics } from '../lib/metrics/filesystem-metrics.js';
import { createProcessRegistry } from '../lib/metrics/metrics-server.js';
import type { AuthorizeForwardHandler } from './aedes-types.js';
import { createAuthHooks, type AuthHooks, type BrokerAuthDeps } from './auth-hooks.js';
import { createAuthorizePublishChain } from './authorize-publish-chain.js';
import { createBrokerLifecycle, type BrokerAddresses } from './broker-lifecycle.js';
import { createBrokerReadiness } from './broker-readiness.js';
import { createJournalBackpressure } from './journal-backpressure.js';
import { watchJournalFlushes } from './journal-flush-watch.js';
import type { BrokerConfig } from './config.js';
import { createBrokerMetrics, createJournalCommitMetrics, registerFastPathMetric, type BrokerMetrics } from './metrics.js';
import { createForwardEarly, filterMayMatchReadings } from './forward-early.js';
import { createLiveForward, DEFAULT_MAX_QUEUED_FORWARDS } from './live-forward.js';
import { markRedeliveries } from './redelivery-dup.js';
import { boundSessionQueues } from './session-queue-bound.js';
import { watchSlowConsumers } from './slow-consumers.js';
import { createReadingsFastPath } from './readings-fast-path.js';
import { createHeldBackPayloads } from './held-back-payloads.js';

export interface BrokerDeps extends BrokerAuthDeps {
  readonly clock?: () => number;
  readonly log?: Logger;
  readonly registry?: Registry;
  /** Told once when the journal's disk did not confirm a flush in time: the broker must stop (main.ts). */
  readonly onJournalUnconfirmed?: (error: Error) => void;
}

export type { BrokerAddresses } from './broker-lifecycle.js';

export interface BrokerApp {
  readonly aedes: Aedes;
  readonly journal: ContainerJournal;
  readonly deadLetters: DeadLetterStore;
  readonly metrics: BrokerMetrics;
  readonly registry: Registry;
  /** Authentication state (who is connected); principals/credentialWatch are absent when auth is disabled. */
  readonly auth: AuthHooks;
  start(): Promise<BrokerAddresses>;
  stop(): Promise<void>;
}

export async function createBroker(config: Readonly<BrokerConfig>, deps: BrokerDeps = {}): Promise<BrokerApp> {
  const log = deps.log ?? createLogger('broker');
  const registry = deps.registry ?? createProcessRegistry({ process: 'broker' });
  const flushWatch = watchJournalFlushes({ registry, log, onUnconfirmed: deps.onJournalUnconfirmed });
  const flushTimeoutMs = config.journalFlushTimeoutMs;
  const journal = await openLmdbJournal(config.journalPath, 'appender', {
    durable: config.journalDurable,
    onCommit: createJournalCommitMetrics(registry),
    flushTimeoutMs,
    onFlushOverdue: flushWatch.overdue,
  });
  const deadLetters = openDeadLetterStore(config.deadLetterPath, { ...config.deadLetterBudget, metrics: { registry, service: 'broker' }, flushTimeoutMs });
  const metrics = createBrokerMetrics(registry, journal);
  const readiness = createBrokerReadiness(config, journal, flushWatch, registry);
  registerFilesystemMetrics(registry, [config.journalPath, config.deadLetterPath]);
  const heldBack = createHeldBackPayloads();
  // The forward hook goes into Aedes' options, so it reaches the instance through this holder.
  const aedesRef: { current?: Aedes } = {};
  const live = createLiveForward(() => aedesRef.current, {
    maxQueued: DEFAULT_MAX_QUEUED_FORWARDS,
    onDropped: () => metrics.liveForwardsDropped.inc(),
  });
  const forwardEarly = config.forwardBeforeJournal ? createForwardEarly(live, heldBack) : undefined;
  const backpressure = createJournalBackpressure({
    depth: () => journal.depth(),
    ...config.backpressure,
    onChange(active, entries) {
      metrics.backpressureActive.set(active ? 1 : 0);
      if (active) log.warn({ entries, highWaterEntries: config.backpressure.highWaterEntries }, 'journal over its high-water mark: holding PUBACKs');
      else log.info({ entries }, 'journal drained below its low-water mark: PUBACKs flow again');
    },
  });
  const auth = createAuthHooks(config.auth, deps, metrics, log);
  // The DUP flag is the sender's hop only: a received DUP 1 is not propagated to subscribers
  // [MQTT-3.3.1-3]. (Aedes checks only that this returns something when it re-sends a session's
  // messages, whose DUP redelivery-dup.ts sets.) Aedes asks this for live deliveries and for each
  // message of a resumed session's queue: a member removed from the topic's household gets neither.
  const authorizeForward: AuthorizeForwardHandler = (client, packet) => {
    if (heldBack.isHeldBack(packet.payload as Buffer)) return null;
    if (!auth.mayForward(client, packet.topic)) return null;
    return packet.dup ? { ...packet, dup: false } : packet;
  };
  const authorizePublish = createAuthorizePublishChain(config, {
    auth,
    backpressure,
    journal,
    deadLetters,
    heldBack,
    forwardEarly,
    metrics,
    registry,
    clock: deps.clock ?? Date.now,
    log,
  });
  const aedes = await Aedes.createBroker({
    ...auth.aedesOptions,
    authorizePublish,
    authorizeForward,
    // A subscriber whose socket stays full this long is disconnected: until then deliveries to
    // everyone wait for it (live-forward.ts). Aedes' default is 60 s.
    drainTimeout: config.slowConsumerTimeoutMs,
  });
  aedesRef.current = aedes;
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
  // Whether anyone can receive readings: until then the fast path forwards nothing (as forward-early.ts).
  let readingsSubscribed = false;
  aedes.on('subscribe', (subscriptions) => {
    const filters = subscriptions.map((s) => s.topic);
    forwardEarly?.noteSubscribed(filters);
    if (!readingsSubscribed) readingsSubscribed = filters.some(filterMayMatchReadings);
  });
  const fastPath = config.readingsFastPath
    ? createReadingsFastPath({
        authorizePublish,
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
    registerFastPathMetric(registry, () => fastPath.taken());
  }
  aedes.on('clientError', (client, err) => {
    metrics.clientErrors.inc();
    log.debug({ clientId: clipForLog(client.id), err: err.message }, 'client error');
  });
  aedes.on('connectionError', () => metrics.clientErrors.inc());

  const lifecycle = createBrokerLifecycle(config, { aedes, journal, deadLetters, backpressure, auth, readiness, fastPath, metrics, registry, log });
  return { aedes, journal, deadLetters, metrics, registry, auth, ...lifecycle };
}
