// Many simulated agents in one process, for demos, integration tests and load tests. Each agent
// has its own household, its own MQTT connection and its own outbox namespace in one shared LMDB
// environment. Starts are spread over `startJitterMs` so the fleet does not publish in lockstep.
import { decodeContainer } from '../proto/container.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { silentLogger, type Logger } from '../lib/log.js';
import { createAgent, type Agent } from './agent.js';
import { createAgentMetrics, type AgentMetrics } from './agent-metrics.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { waitFor } from './wait-for.js';
import { fleetIdentities, simulatedHouseholdOf } from './fleet-identities.js';
import type { FleetAgentIdentity, FleetOptions } from './fleet-options.js';
import { totalsOf, type FleetStats } from './fleet-stats.js';
import { openOutboxStore, type OutboxStore } from './outbox.js';
import { watchOutboxFlushes } from './outbox-flush-watch.js';
import { openProductionLedger, type ProductionLedger } from './production-ledger.js';
import { ProductionRecord } from './production-record.js';
import { createSimulatedHousehold } from './sources/simulated-household.js';

export interface Fleet {
  readonly identities: readonly FleetAgentIdentity[];
  /** Empty when recordProduction is false. */
  readonly production: ProductionRecord;
  stats(): FleetStats;
  /**
   * Resolves when every agent has started, sealed its `stopAfterContainers` (if set) and has an
   * empty outbox; rejects after `timeoutMs` with the totals in the message.
   */
  waitUntilAllAcked(timeoutMs: number): Promise<FleetStats>;
  stop(options?: { readonly drainTimeoutMs?: number }): Promise<void>;
}

/** Containers a kill -9 left in an outbox but not in the ledger (see production-ledger.ts). */
function recordUnledgered(ledger: ProductionLedger, store: OutboxStore, identities: readonly FleetAgentIdentity[]): void {
  for (const { agentId } of identities) {
    const outbox = store.forAgent(agentId);
    let afterSeq = 0;
    for (let page = outbox.peek({ afterSeq, limit: 500 }); page.length > 0; page = outbox.peek({ afterSeq, limit: 500 })) {
      for (const entry of page) ledger.recordIfNew(decodeContainer(entry.payload));
      afterSeq = page.at(-1)?.seq ?? afterSeq;
    }
  }
}

type Credentials = { username: string; password: string };

function credentialsLookup(options: FleetOptions): (identity: FleetAgentIdentity) => Credentials | undefined {
  const secrets = new Map(options.provisioned?.map((agent) => [agent.agentId, agent.secret]));
  return (identity) => {
    const secret = secrets.get(identity.agentId);
    return secret === undefined ? options.credentials?.(identity) : { username: identity.agentId, password: secret };
  };
}

function openFleetOutbox(options: FleetOptions, log: Logger): { store: OutboxStore; metrics: AgentMetrics } {
  const metrics = createAgentMetrics(options.registry ?? new Registry(), () => store.totalDepth());
  // One environment for every agent: an unconfirmed flush ends sealing for all of them.
  const store = openOutboxStore(join(options.dataDir, 'outbox.mdb'), {
    maxEntriesPerAgent: options.outboxMaxEntries,
    log,
    flushTimeoutMs: options.outboxFlushTimeoutMs,
    onFlushOverdue: watchOutboxFlushes({ log, metrics, dataDir: options.dataDir, onUnconfirmed: (err) => options.onOutboxUnconfirmed?.(err) }),
  });
  return { store, metrics };
}

/** What every agent of the fleet shares. */
interface FleetShared {
  readonly options: FleetOptions;
  readonly credentialsOf: (identity: FleetAgentIdentity) => Credentials | undefined;
  readonly store: OutboxStore;
  readonly production: ProductionRecord;
  readonly ledger: ProductionLedger | undefined;
  readonly publishIntervalMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly metrics: AgentMetrics;
  readonly log: Logger;
}

function createFleetAgent(identity: FleetAgentIdentity, shared: FleetShared): Agent {
  const { options, production, ledger, publishIntervalMs, clock, random, metrics, log } = shared;
  return createAgent({
    ...identity,
    ...shared.credentialsOf(identity),
    brokerUrl: options.brokerUrl,
    source: createSimulatedHousehold(simulatedHouseholdOf(identity, options)),
    outbox: shared.store.forAgent(identity.agentId),
    publishIntervalMs,
    sampleIntervalMs: options.sampleIntervalMs ?? publishIntervalMs,
    stopAfterContainers: options.stopAfterContainers,
    maxInFlight: options.maxInFlight,
    backoff: options.backoff,
    clock,
    random,
    metrics,
    log,
    onSealed: (container) => {
      if (options.recordProduction !== false) production.record(container);
      ledger?.record(container);
      options.onSealed?.(container);
    },
  });
}

function scheduleStarts(agents: readonly Agent[], clock: Clock, random: () => number, jitterMs: number): { started: Set<Agent>; startTimers: Set<TimerHandle> } {
  const started = new Set<Agent>();
  const startTimers = new Set<TimerHandle>();
  for (const agent of agents) {
    const timer = clock.setTimeout(() => {
      startTimers.delete(timer);
      started.add(agent);
      agent.start();
    }, Math.floor(random() * jitterMs));
    startTimers.add(timer);
  }
  return { started, startTimers };
}

function statsOf(agents: readonly Agent[]): FleetStats {
  const perAgent = agents.map((agent) => agent.stats());
  return { agents: perAgent, totals: totalsOf(perAgent) };
}

function allAcked(agents: readonly Agent[], started: ReadonlySet<Agent>, stopAfterContainers: number | undefined): boolean {
  return (
    started.size === agents.length &&
    agents.every((agent) => {
      const s = agent.stats();
      return s.pending === 0 && (stopAfterContainers === undefined || s.finished);
    })
  );
}

async function closeOutboxAndLedger(store: OutboxStore, ledger: ProductionLedger | undefined): Promise<void> {
  try {
    await store.close(); // fails after the flush time limit when the disk does not answer
  } finally {
    ledger?.close();
  }
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const identities = fleetIdentities(options);
  const credentialsOf = credentialsLookup(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? silentLogger();
  const publishIntervalMs = options.publishIntervalMs ?? 60_000;
  await mkdir(options.dataDir, { recursive: true });
  const { store, metrics } = openFleetOutbox(options, log);
  const production = new ProductionRecord();
  const ledger = options.ledgerPath === undefined ? undefined : openProductionLedger(options.ledgerPath);
  if (ledger !== undefined) recordUnledgered(ledger, store, identities);
  const shared: FleetShared = { options, credentialsOf, store, production, ledger, publishIntervalMs, clock, random, metrics, log };
  const agents = identities.map((identity) => createFleetAgent(identity, shared));
  const { started, startTimers } = scheduleStarts(agents, clock, random, options.startJitterMs ?? publishIntervalMs);
  const stats = (): FleetStats => statsOf(agents);

  return {
    identities,
    production,
    stats,
    async waitUntilAllAcked(timeoutMs) {
      if (!(await waitFor(() => allAcked(agents, started, options.stopAfterContainers), timeoutMs))) {
        throw new Error(`fleet: not all acknowledged after ${timeoutMs} ms: ${JSON.stringify(stats().totals)}`);
      }
      return stats();
    },
    async stop(stopOptions) {
      for (const timer of startTimers) clock.clearTimeout(timer);
      startTimers.clear();
      await Promise.all([...started].map((agent) => agent.stop(stopOptions)));
      await closeOutboxAndLedger(store, ledger);
    },
  };
}
