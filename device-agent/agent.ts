// One device agent: source → container builder → on-disk outbox → MQTT publisher.
// The outbox sits between sampling and the network, so sampling never waits for the broker
// and nothing sealed is lost while the broker is away (docs/decisions/004-agent-outbox.md).
import { Registry } from 'prom-client';
import type { ValidationLimits } from '../broker/validate-container.js';
import type { ReadingContainer } from '../proto/container.js';
import { isValidId, ID_PATTERN } from '../proto/topics.js';
import { silentLogger, type Logger } from '../lib/log.js';
import { createAgentMetrics, type AgentMetrics } from './agent-metrics.js';
import { systemClock, type Clock } from './clock.js';
import { createContainerBuilder } from './container-builder.js';
import type { BackoffOptions } from './mqtt/backoff.js';
import { createMqttPublisher } from './mqtt-publisher.js';
import type { AgentOutbox } from './outbox.js';
import type { MeterSource } from './sources/meter-source.js';

export interface AgentOptions {
  readonly householdId: string;
  readonly agentId: string;
  /** mqtt://host:port or ws://host:port/path */
  readonly brokerUrl: string;
  readonly username?: string;
  readonly password?: string;
  /** Default: the agent id. */
  readonly clientId?: string;
  readonly source: MeterSource;
  /** From openOutboxStore(...).forAgent(agentId); the caller owns (and closes) the store. */
  readonly outbox: AgentOutbox;
  readonly sampleIntervalMs: number;
  readonly publishIntervalMs: number;
  /** What the broker accepts per container; default its defaults (DEFAULT_VALIDATION_LIMITS in broker/validate-container.ts). */
  readonly containerLimits?: ValidationLimits;
  /** Default 32. */
  readonly maxInFlight?: number;
  /** Stop sampling after this many containers; publishing goes on until stop(). */
  readonly stopAfterContainers?: number;
  readonly backoff?: BackoffOptions;
  readonly keepaliveS?: number;
  readonly connectTimeoutMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Share one set between the agents of a process (metric names are unique per registry). */
  readonly metrics?: AgentMetrics;
  readonly log?: Logger;
  /** Every container, once it is durable in the outbox. */
  readonly onSealed?: (container: ReadingContainer) => void;
}

export interface AgentStats {
  readonly householdId: string;
  readonly agentId: string;
  readonly sealed: number;
  /** Publish attempts, resends included. */
  readonly published: number;
  readonly acked: number;
  /** Containers in the outbox (in flight included). */
  readonly pending: number;
  readonly inFlight: number;
  readonly dropped: number;
  readonly reconnects: number;
  readonly connected: boolean;
  /** True once `stopAfterContainers` containers were sealed. */
  readonly finished: boolean;
  readonly nextSeq: number;
}

export interface Agent {
  readonly householdId: string;
  readonly agentId: string;
  start(): void;
  /** Seals what was sampled, waits up to drainTimeoutMs (default 2000) for PUBACKs, disconnects. */
  stop(options?: { readonly drainTimeoutMs?: number }): Promise<void>;
  stats(): AgentStats;
}

export function createAgent(options: AgentOptions): Agent {
  const { householdId, agentId, outbox } = options;
  for (const [what, id] of [['householdId', householdId], ['agentId', agentId]] as const) {
    if (!isValidId(id)) throw new Error(`${what} must match ${String(ID_PATTERN)}, got ${JSON.stringify(id)}`);
  }
  if (outbox.agentId !== agentId) throw new Error(`outbox belongs to ${outbox.agentId}, not ${agentId}`);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger();
  const metrics = options.metrics ?? createAgentMetrics(new Registry(), () => outbox.depth());
  let droppedSeen = outbox.dropped();
  let finished = false;
  let stopped: Promise<void> | undefined;

  const publisher = createMqttPublisher({ ...options, clock, log, metrics, random: options.random ?? Math.random });
  const builder = createContainerBuilder({
    householdId,
    agentId,
    source: options.source,
    sink: outbox,
    clock,
    log,
    sampleIntervalMs: options.sampleIntervalMs,
    publishIntervalMs: options.publishIntervalMs,
    stopAfterContainers: options.stopAfterContainers,
    limits: options.containerLimits,
    onReadingsDropped: ({ reason, count }) => metrics.readingsDropped.inc({ reason }, count),
    newestStampMs: outbox.newestStampMs(),
    onClockStepBack: (handling) => metrics.clockStepsBack.inc({ handling }),
    onSealed(container) {
      metrics.sealed.inc();
      metrics.dropped.inc(outbox.dropped() - droppedSeen);
      droppedSeen = outbox.dropped();
      publisher.notify();
      options.onSealed?.(container);
    },
    onSealFailed: () => metrics.sealFailures.inc(),
    onSourceError: () => metrics.sourceErrors.inc({ source: options.source.name, reason: 'exception' }),
    onFinished: () => {
      finished = true;
    },
  });

  return {
    householdId,
    agentId,
    start() {
      publisher.start();
      builder.start();
    },
    stop(stopOptions = {}) {
      if (stopped === undefined) {
        publisher.beginStop(); // before the last seal, which takes a disk flush: see beginStop
        stopped = builder.stop().then(() => publisher.stop(stopOptions));
      }
      return stopped;
    },
    stats() {
      const p = publisher.stats();
      return {
        householdId,
        agentId,
        sealed: builder.sealedCount(),
        published: p.published,
        acked: p.acked,
        pending: outbox.depth(),
        inFlight: p.inFlight,
        dropped: outbox.dropped(),
        reconnects: p.reconnects,
        connected: p.connected,
        finished,
        nextSeq: outbox.nextSeq(),
      };
    },
  };
}
