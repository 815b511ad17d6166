// Builds the broker (Aedes + journal + dead letters + listeners + metrics) without starting it.
import { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import { openDeadLetterStore, type DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { openLmdbJournal } from '../lib/journal/lmdb-journal.js';
import { clipForLog, createLogger, type Logger } from '../lib/log.js';
import { registerFilesystemMetrics } from '../lib/metrics/filesystem-metrics.js';
import { createProcessRegistry, startMetricsServer, type MetricsServer } from '../lib/metrics/metrics-server.js';
import { createReadiness, registerReadinessMetrics } from '../lib/metrics/readiness.js';
import { expectWritablePath } from '../lib/metrics/readiness-checks.js';
import type { AuthorizeForwardHandler } from './aedes-types.js';
import { createAuthHooks, type AuthHooks, type BrokerAuthDeps } from './auth-hooks.js';
import { createAuthorizePublish } from './authorize-publish.js';
import { createJournalBackpressure } from './journal-backpressure.js';
import { watchJournalFlushes } from './journal-flush-watch.js';
import { startJournalTrimmer, type JournalTrimmer } from './journal-trimmer.js';
import { withBackpressure } from './with-backpressure.js';
import { createAgentPublishPace, type PaceClock } from './agent-publish-pace.js';
import { withPublishPace } from './with-publish-pace.js';
import { createAgentDeviceBound } from './agent-device-bound.js';
import type { BrokerConfig } from './config.js';
import { listenTcp, listenWebSocket, type Listener } from './listeners.js';
import { createBrokerMetrics, createJournalCommitMetrics, registerAgentLimitMetrics, registerFastPathMetric, type BrokerMetrics } from './metrics.js';
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

export interface BrokerAddresses {
  readonly mqttPort: number;
  readonly wsPort: number;
  readonly metricsPort: number;
}

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

/**
 * The pace's clock: monotonic (a wall-clock step must not hold every agent's publishes), and timers
 * that do not keep a stopping process alive (a publish still waiting then fails with its closed client).
 */
const PACE_CLOCK: PaceClock = {
  now: () => performance.now(),
  setTimer: (run, delayMs) => void setTimeout(run, delayMs).unref(),
};

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
  // Ready = the journal can take appends (open, writable, disk not full): without it no PUBACK leaves.
  const readiness = createReadiness([
    {
      name: 'journal',
      async run() {
        flushWatch.assertConfirmed(); // the disk did not confirm a flush: no more appends
        journal.depth(); // throws once the environment is closed
        await expectWritablePath(config.journalPath);
      },
    },
    { name: 'dead-letters', run: () => expectWritablePath(config.deadLetterPath) },
  ]);
  registerReadinessMetrics(registry, readiness);
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
  const pace = createAgentPublishPace(config.publishPace, PACE_CLOCK, (agent, delayMs) =>
    log.warn(
      { topic: clipForLog(agent), delayMs: Math.round(delayMs), ...config.publishPace },
      'agent publishing faster than its pace: its readings publishes (and PUBACKs) are held (EM_BROKER_AGENT_PUBLISHES_PER_S, EM_BROKER_AGENT_READINGS_PER_S); told again in 10 minutes if it goes on',
    ),
  );
  const deviceBound = createAgentDeviceBound(config.deviceBound);
  // The ACL runs first: a refused publish neither waits for the journal nor touches it. Then the
  // agent's pace: a paced publish waits before it costs any CPU or disk.
  const journaled = withBackpressure(
    backpressure,
    metrics,
    createAuthorizePublish({
      journal,
      deadLetters,
      heldBack,
      forwardEarly,
      metrics,
      limits: config.limits,
      deviceBound: config.deviceBound.maxDevicesPerAgent === 0 ? undefined : deviceBound,
      clock: deps.clock ?? Date.now,
      log,
    }),
  );
  const authorizePublish = auth.wrapPublish(config.publishPace.publishesPerS === 0 && config.publishPace.readingsPerS === 0 ? journaled : withPublishPace(pace, metrics, journaled, config.limits.maxMeasurementsPerContainer));
  registerAgentLimitMetrics(registry, { pace: () => pace.trackedAgents(), devices: () => deviceBound.trackedAgents() });
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

  const listeners: Listener[] = [];
  let metricsServer: MetricsServer | undefined;
  let trimmer: JournalTrimmer | undefined;
  const listenerOptions = {
    host: config.host,
    maxPacketBytes: config.maxPacketBytes,
    maxBufferedBytesPerConnection: config.maxBufferedBytesPerConnection,
    maxOutgoingBytesPerConnection: config.maxOutgoingBytesPerConnection,
    onOversize: (reason: string, listener: string) => {
      metrics.oversizePackets.inc();
      log.warn({ listener, reason }, 'closing connection: packet too large');
    },
    ...(fastPath === undefined ? {} : { fastPath }),
  };

  return {
    aedes,
    journal,
    deadLetters,
    metrics,
    registry,
    auth,
    async start() {
      listeners.push(await listenTcp(aedes, config.mqttPort, listenerOptions, metrics));
      listeners.push(await listenWebSocket(aedes, config.wsPort, listenerOptions, metrics));
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      trimmer = startJournalTrimmer(journal, log);
      const [tcp, ws] = listeners;
      return { mqttPort: tcp?.port ?? 0, wsPort: ws?.port ?? 0, metricsPort: metricsServer.port };
    },
    async stop() {
      backpressure.stop();
      auth.stop();
      // Stop accepting first; a listener's close resolves only once its connections have ended, and
      // it is aedes.close() that ends them (MQTT 3.1.1 has no server-sent DISCONNECT: the socket closes).
      const listenersClosed = Promise.all(listeners.splice(0).map((l) => l.close()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await listenersClosed;
      await trimmer?.stop();
      // Both, even when one fails: each ends within the flush time limit, naming the flush the disk
      // never confirmed (a disk that stays full or does not answer); the first failure is rethrown.
      const closed = await Promise.allSettled([journal.close(), deadLetters.close()]);
      // Last: stopping after an unconfirmed flush can take that limit again, and meanwhile /readyz
      // and em_broker_journal_flush_timeouts_total say why (journal-flush-watch.ts).
      await metricsServer?.close();
      for (const outcome of closed) if (outcome.status === 'rejected') throw outcome.reason;
    },
  };
}
