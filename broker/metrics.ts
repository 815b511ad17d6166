// Broker metrics (Prometheus). Names follow <namespace>_<subsystem>_<unit> conventions.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { registerTotalCounter } from '../lib/metrics/total-counter.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import { createAuthMetrics } from './auth-metrics.js';
import { registerJournalDepthMetrics } from './journal-metrics.js';

export interface BrokerMetrics {
  readonly connections: Gauge;
  readonly connectionsTotal: Counter<'listener'>;
  readonly publishesIn: Counter<'kind' | 'outcome'>;
  /**
   * The two counts every readings publish moves (its payload bytes; journaled), kept as plain
   * numbers and added to em_broker_readings_bytes_in_total and em_broker_publishes_in_total at
   * scrape time: prom-client's inc hashes labels and validates on every call, per message.
   */
  countReadingsBytes(bytes: number): void;
  countJournaled(): void;
  readonly journalAppendSeconds: Histogram;
  readonly deadLetters: Counter<'reason'>;
  readonly oversizePackets: Counter;
  readonly clientErrors: Counter;
  /** Subscribers disconnected for not taking their deliveries in time (live-forward.ts). */
  readonly slowConsumersDisconnected: Counter;
  /** Live forwards of readings dropped because too many deliveries already wait (live-forward.ts). */
  readonly liveForwardsDropped: Counter;
  /** Messages not queued for a persistent session that already holds its maximum (session-queue-bound.ts). */
  readonly sessionMessagesDropped: Counter;
  readonly backpressureActive: Gauge;
  readonly publishesHeld: Counter;
  /** Readings publishes delayed by their agent's pace (agent-publish-pace.ts), and by how long. */
  readonly publishesPaced: Counter;
  readonly publishPaceDelaySeconds: Histogram;
  readonly authAttempts: Counter<'kind' | 'outcome'>;
  readonly subscribesRefused: Counter<'kind' | 'reason'>;
  readonly publishesRefused: Counter<'reason'>;
  readonly credentialCutoffs: Counter<'reason'>;
}

export function createBrokerMetrics(registry: Registry, journal: ContainerJournal): BrokerMetrics {
  registerJournalDepthMetrics(registry, journal);
  let bytesIn = 0;
  let journaled = 0;
  new Counter({
    name: 'em_broker_readings_bytes_in_total',
    help: 'Readings payload bytes received',
    registers: [registry],
    collect() {
      this.inc(bytesIn);
      bytesIn = 0;
    },
  });
  return {
    connections: new Gauge({ name: 'em_broker_connections', help: 'Open MQTT connections', registers: [registry] }),
    connectionsTotal: new Counter({
      name: 'em_broker_connections_total',
      help: 'MQTT connections accepted, by listener',
      labelNames: ['listener'],
      registers: [registry],
    }),
    publishesIn: new Counter({
      name: 'em_broker_publishes_in_total',
      help: 'PUBLISH packets received, by topic kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
      collect() {
        this.inc({ kind: 'readings', outcome: 'journaled' }, journaled);
        journaled = 0;
      },
    }),
    countReadingsBytes(bytes) {
      bytesIn += bytes;
    },
    countJournaled() {
      journaled++;
    },
    journalAppendSeconds: new Histogram({
      name: 'em_broker_journal_append_seconds',
      help: 'Time from receiving a readings publish to its durable journal commit (fsync), i.e. until PUBACK',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'em_broker_dead_letters_total',
      help: 'Readings publishes refused and dead-lettered, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    oversizePackets: new Counter({
      name: 'em_broker_oversize_packets_total',
      help: 'Connections closed for sending a packet above the size limit',
      registers: [registry],
    }),
    clientErrors: new Counter({ name: 'em_broker_client_errors_total', help: 'Client errors (protocol, socket)', registers: [registry] }),
    slowConsumersDisconnected: new Counter({
      name: 'em_broker_slow_consumers_disconnected_total',
      help: 'Subscribers disconnected because their outgoing buffer stayed full past EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS',
      registers: [registry],
    }),
    sessionMessagesDropped: new Counter({
      name: 'em_broker_session_messages_dropped_total',
      help: 'QoS 1/2 messages not queued for a persistent session already holding EM_BROKER_MAX_QUEUED_MESSAGES_PER_SESSION unacknowledged',
      registers: [registry],
    }),
    liveForwardsDropped: new Counter({
      name: 'em_broker_live_forwards_dropped_total',
      help: 'Readings not forwarded to live subscribers because too many deliveries already waited (they are journaled all the same)',
      registers: [registry],
    }),
    backpressureActive: new Gauge({
      name: 'em_broker_backpressure_active',
      help: '1 while the journal is over its high-water mark and PUBACKs are held',
      registers: [registry],
    }),
    publishesHeld: new Counter({
      name: 'em_broker_publishes_held_total',
      help: 'Readings publishes whose PUBACK waited for the journal to drain',
      registers: [registry],
    }),
    publishesPaced: new Counter({
      name: 'em_broker_publishes_paced_total',
      help: 'Readings publishes delayed (with their PUBACK) because their agent sent faster than EM_BROKER_AGENT_PUBLISHES_PER_S, or more readings than EM_BROKER_AGENT_READINGS_PER_S, past its burst',
      registers: [registry],
    }),
    publishPaceDelaySeconds: new Histogram({
      name: 'em_broker_publish_pace_delay_seconds',
      help: 'How long each paced readings publish was delayed before validation and the journal',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    ...createAuthMetrics(registry),
  };
}

/** Agents whose state a per-agent limit keeps in memory, by limit, read at scrape time. */
export function registerAgentLimitMetrics(registry: Registry, tracked: Readonly<Record<string, () => number>>): void {
  new Gauge({
    name: 'em_broker_agent_limit_tracked_agents',
    help: 'Agents whose state a per-agent limit keeps in memory: pace (published within about burst/rate seconds), devices (reported within EM_BROKER_AGENT_DEVICES_WINDOW_MS)',
    labelNames: ['limit'],
    registers: [registry],
    collect() {
      for (const [limit, count] of Object.entries(tracked)) this.set({ limit }, count());
    },
  });
}

/** Readings publishes the fast path took (broker/readings-fast-path.ts), read from its count at scrape time. */
export function registerFastPathMetric(registry: Registry, taken: () => number): void {
  registerTotalCounter(
    registry,
    { name: 'em_broker_readings_fast_path_total', help: 'Readings publishes taken off TCP connections before Aedes parsed them (the rest went through Aedes)' },
    taken,
  );
}
