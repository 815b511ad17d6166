// Prometheus instruments of the agent process. No per-agent labels: a fleet process runs
// thousands of agents, and per-agent numbers are in agent.stats() / fleet.stats() instead.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface AgentMetrics {
  readonly sealed: Counter;
  /** Publish attempts, resends after a reconnect included. */
  readonly published: Counter;
  readonly acked: Counter;
  readonly dropped: Counter;
  readonly reconnects: Counter;
  readonly sourceErrors: Counter<'source' | 'reason'>;
  /** Readings left out of containers because the broker would refuse them. */
  readonly readingsDropped: Counter<'reason'>;
  /** Steps of the wall clock back behind the newest reading stamp (reading-stamps.ts). */
  readonly clockStepsBack: Counter<'handling'>;
  /** Containers the outbox refused (their readings wait in memory for the next seal). */
  readonly sealFailures: Counter;
  /** Outbox appends whose flush the disk did not confirm in time (the process then exits 1). */
  readonly outboxFlushTimeouts: Counter;
  /** Outbox removals (on a PUBACK) that failed, by reason (the agent goes on). */
  readonly outboxRemovalFailures: Counter<'reason'>;
  readonly ackLatency: Histogram;
  readonly connected: Gauge;
}

/**
 * Why an outbox removal failed: `timeout`, the disk did not confirm its commit within the flush time
 * limit (the commit may still land late); `error`, its commit failed (a full card, EIO) or LMDB
 * refused it otherwise.
 */
export const OUTBOX_REMOVAL_FAILURE_REASONS = ['timeout', 'error'] as const;
export type OutboxRemovalFailureReason = (typeof OUTBOX_REMOVAL_FAILURE_REASONS)[number];

export function createAgentMetrics(registry: Registry, outboxDepth: () => number): AgentMetrics {
  const registers = [registry];
  new Gauge({
    name: 'em_agent_outbox_depth',
    help: 'Containers on disk waiting for a PUBACK',
    registers,
    collect() {
      this.set(outboxDepth());
    },
  });
  // The pump retries a failed removal after the next removal that succeeds, and the next
  // connection publishes an entry still there again (mqtt/outbox-pump.ts). Every reason from 0, so that increase() sees the first
  // failure of a process (AgentOutboxRemovalFailing, infra/prometheus/rules/ingest.yml).
  const outboxRemovalFailures = new Counter({
    name: 'em_agent_outbox_removal_failures_total',
    help: 'Outbox removals (on a PUBACK) that failed, by reason: timeout (the disk did not confirm the commit within EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS; it may still land late) or error (the commit failed: a full card, an I/O error). Retries count too. The agent goes on and removes the container again after its next removal that succeeds; until a removal of it commits the container stays in the outbox and is published again on the next connection or after a restart (same seq: harmless)',
    labelNames: ['reason'] as const,
    registers,
  });
  for (const reason of OUTBOX_REMOVAL_FAILURE_REASONS) outboxRemovalFailures.inc({ reason }, 0);
  return {
    sealed: new Counter({ name: 'em_agent_containers_sealed_total', help: 'Containers sealed into the outbox', registers }),
    published: new Counter({ name: 'em_agent_containers_published_total', help: 'QoS1 publishes, resends included', registers }),
    acked: new Counter({ name: 'em_agent_containers_acked_total', help: 'Containers acknowledged by the broker', registers }),
    dropped: new Counter({ name: 'em_agent_outbox_dropped_total', help: 'Oldest containers dropped from a full outbox', registers }),
    reconnects: new Counter({ name: 'em_agent_reconnects_total', help: 'Reconnect attempts scheduled', registers }),
    sourceErrors: new Counter({
      name: 'em_agent_source_errors_total',
      help: 'Failed reads of a device, by source and reason',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    readingsDropped: new Counter({
      name: 'em_agent_readings_dropped_total',
      help: 'Readings left out of containers because the broker would refuse them (its refusal reason)',
      labelNames: ['reason'] as const,
      registers,
    }),
    clockStepsBack: new Counter({
      name: 'em_agent_clock_steps_back_total',
      help: 'Steps of the wall clock back behind the newest reading stamp: held (stamps go on from it) or followed (more than a day)',
      labelNames: ['handling'] as const,
      registers,
    }),
    // A counter without labels is exported at 0 from the start, so increase() sees the first refusal
    // (AgentSealsFailing, infra/prometheus/rules/ingest.yml).
    sealFailures: new Counter({
      name: 'em_agent_seal_failures_total',
      help: 'Containers the outbox refused (a full card, an I/O error, a flush not confirmed in time): their readings wait in memory for the next seal, past 100,000 held readings the oldest are dropped (em_agent_readings_dropped_total{reason="unsealed-overflow"})',
      registers,
    }),
    outboxFlushTimeouts: new Counter({
      name: 'em_agent_outbox_flush_timeouts_total',
      help: 'Outbox appends whose flush the disk did not confirm within EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS (the agent then exits 1 to be started again)',
      registers,
    }),
    outboxRemovalFailures,
    ackLatency: new Histogram({
      name: 'em_agent_publish_ack_seconds',
      help: 'From PUBLISH written to PUBACK received',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    connected: new Gauge({ name: 'em_agent_connected', help: 'Agents with an MQTT connection up', registers }),
  };
}
