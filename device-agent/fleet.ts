// Many simulated agents in one process, for demos, integration tests and load tests. Each agent
// has its own household, its own MQTT connection and its own outbox namespace in one shared LMDB
// environment. Starts are spread over `startJitterMs` so the fleet does not publish in lockstep.
import { decodeContainer, type ReadingContainer } from '../proto/container.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { silentLogger, type Logger } from '../lib/log.js';
import { createAgent, type Agent, type AgentStats } from './agent.js';
import { createAgentMetrics } from './agent-metrics.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { waitFor } from './wait-for.js';
import type { BackoffOptions } from './mqtt/backoff.js';
import { openOutboxStore, type OutboxStore } from './outbox.js';
import { watchOutboxFlushes } from './outbox-flush-watch.js';
import { openProductionLedger, type ProductionLedger } from './production-ledger.js';
import { ProductionRecord } from './production-record.js';
import { DEFAULT_DEVICES, type HouseholdOptions } from './sources/household-plan.js';
import { createSimulatedHousehold } from './sources/simulated-household.js';

export interface FleetAgentIdentity {
  readonly householdId: string;
  readonly agentId: string;
  /** Seed of the agent's simulated household (see sources/simulated-household.ts). */
  readonly seed: number;
  /**
   * How many agents of the same household come before this one (provisioned fleets: `npm start`
   * gives the demo household three). Each meters sockets of its own, so that no two agents of a
   * home report the same device id, as two Pis in one home would not.
   */
  readonly agentInHousehold: number;
}

/** An agent provisioned by the auth service: its own household, id and MQTT secret. */
export interface ProvisionedAgent {
  readonly householdId: string;
  readonly agentId: string;
  readonly secret: string;
}

export interface FleetOptions {
  readonly brokerUrl: string;
  /**
   * Run exactly these provisioned agents (ids and secrets from the auth service) instead of
   * `agents` numbered ones; each connects with username = agent id, password = its secret.
   */
  readonly provisioned?: readonly ProvisionedAgent[];
  /** Holds the shared outbox environment (`outbox.mdb`). */
  readonly dataDir: string;
  readonly agents: number;
  /** Number of the first agent (default 1), so that several fleet processes can split a range. */
  readonly firstIndex?: number;
  readonly householdPrefix?: string;
  readonly agentPrefix?: string;
  readonly publishIntervalMs?: number;
  /** Default: publishIntervalMs, i.e. one sample per container. */
  readonly sampleIntervalMs?: number;
  /** Sockets per household (default 5); a sample has 2 × devices + 1 readings. */
  readonly devices?: number;
  readonly deviceIds?: readonly string[];
  /** Agents start at uniformly random offsets in [0, startJitterMs); default publishIntervalMs. */
  readonly startJitterMs?: number;
  readonly stopAfterContainers?: number;
  /** Agent i (counted from firstIndex) simulates the household with seed `seed + i`. */
  readonly seed?: number;
  readonly maxInFlight?: number;
  readonly outboxMaxEntries?: number;
  /** How long a seal and the outbox's close wait for the disk (ms); default DEFAULT_FLUSH_TIMEOUT_MS. */
  readonly outboxFlushTimeoutMs?: number;
  /**
   * The shared outbox's disk did not confirm a flush in time (logged and counted here): no agent of
   * the fleet seals anything more, so its process should stop and exit 1 (fleet-main.ts does).
   */
  readonly onOutboxUnconfirmed?: (error: Error) => void;
  readonly credentials?: (agent: FleetAgentIdentity) => { readonly username: string; readonly password: string } | undefined;
  readonly backoff?: BackoffOptions;
  readonly registry?: Registry;
  readonly log?: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Keep (agent, seq, readings) of every sealed container in memory (default true). */
  readonly recordProduction?: boolean;
  /** Called with every container an agent seals (tests that check exact stored values use it). */
  readonly onSealed?: (container: ReadingContainer) => void;
  /** Append every sealed container to this production ledger file (for the loss checker). */
  readonly ledgerPath?: string;
}

export interface FleetTotals {
  readonly agents: number;
  readonly connected: number;
  readonly sealed: number;
  readonly published: number;
  readonly acked: number;
  readonly pending: number;
  readonly inFlight: number;
  readonly dropped: number;
  readonly reconnects: number;
}

export interface FleetStats {
  readonly agents: readonly AgentStats[];
  readonly totals: FleetTotals;
}

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

export function fleetIdentities(options: FleetOptions): FleetAgentIdentity[] {
  const first = options.firstIndex ?? 1;
  if (options.provisioned !== undefined) {
    const earlier = new Map<string, number>();
    return options.provisioned.map(({ householdId, agentId }, i) => {
      const agentInHousehold = earlier.get(householdId) ?? 0;
      earlier.set(householdId, agentInHousehold + 1);
      return { householdId, agentId, seed: (options.seed ?? 1) + first + i, agentInHousehold };
    });
  }
  const width = Math.max(4, String(first + options.agents - 1).length);
  return Array.from({ length: options.agents }, (_, i) => {
    const number = String(first + i).padStart(width, '0');
    return {
      householdId: `${options.householdPrefix ?? 'h-'}${number}`,
      agentId: `${options.agentPrefix ?? 'a-'}${number}`,
      seed: (options.seed ?? 1) + first + i,
      agentInHousehold: 0,
    };
  });
}

/** The simulated home an agent meters: the next sockets of the catalogue for a household's later agents. */
export function simulatedHouseholdOf(identity: FleetAgentIdentity, options: Pick<FleetOptions, 'devices' | 'deviceIds'>): HouseholdOptions {
  const later = identity.agentInHousehold;
  if (later === 0 || options.deviceIds !== undefined) return { seed: identity.seed, devices: options.devices, deviceIds: options.deviceIds };
  return {
    seed: identity.seed,
    devices: options.devices,
    firstDeviceIndex: later * (options.devices ?? DEFAULT_DEVICES),
    mainsDeviceId: `mains-${later + 1}`,
  };
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

function totalsOf(agents: readonly AgentStats[]): FleetTotals {
  const sum = (key: 'sealed' | 'published' | 'acked' | 'pending' | 'inFlight' | 'dropped' | 'reconnects'): number =>
    agents.reduce((total, stats) => total + stats[key], 0);
  return {
    agents: agents.length,
    connected: agents.filter((stats) => stats.connected).length,
    sealed: sum('sealed'),
    published: sum('published'),
    acked: sum('acked'),
    pending: sum('pending'),
    inFlight: sum('inFlight'),
    dropped: sum('dropped'),
    reconnects: sum('reconnects'),
  };
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const identities = fleetIdentities(options);
  const secrets = new Map(options.provisioned?.map((agent) => [agent.agentId, agent.secret]));
  const credentialsOf = (identity: FleetAgentIdentity): { username: string; password: string } | undefined => {
    const secret = secrets.get(identity.agentId);
    return secret === undefined ? options.credentials?.(identity) : { username: identity.agentId, password: secret };
  };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? silentLogger();
  const publishIntervalMs = options.publishIntervalMs ?? 60_000;
  await mkdir(options.dataDir, { recursive: true });
  const metrics = createAgentMetrics(options.registry ?? new Registry(), () => store.totalDepth());
  // One environment for every agent: an unconfirmed flush ends sealing for all of them.
  const store = openOutboxStore(join(options.dataDir, 'outbox.mdb'), {
    maxEntriesPerAgent: options.outboxMaxEntries,
    log,
    flushTimeoutMs: options.outboxFlushTimeoutMs,
    onFlushOverdue: watchOutboxFlushes({ log, metrics, dataDir: options.dataDir, onUnconfirmed: (err) => options.onOutboxUnconfirmed?.(err) }),
  });
  const production = new ProductionRecord();
  const ledger = options.ledgerPath === undefined ? undefined : openProductionLedger(options.ledgerPath);
  if (ledger !== undefined) recordUnledgered(ledger, store, identities);
  const started = new Set<Agent>();
  const startTimers = new Set<TimerHandle>();

  const agents = identities.map((identity) =>
    createAgent({
      ...identity,
      ...credentialsOf(identity),
      brokerUrl: options.brokerUrl,
      source: createSimulatedHousehold(simulatedHouseholdOf(identity, options)),
      outbox: store.forAgent(identity.agentId),
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
    }),
  );
  const jitterMs = options.startJitterMs ?? publishIntervalMs;
  for (const agent of agents) {
    const timer = clock.setTimeout(() => {
      startTimers.delete(timer);
      started.add(agent);
      agent.start();
    }, Math.floor(random() * jitterMs));
    startTimers.add(timer);
  }

  const stats = (): FleetStats => {
    const perAgent = agents.map((agent) => agent.stats());
    return { agents: perAgent, totals: totalsOf(perAgent) };
  };
  const allAcked = (): boolean =>
    started.size === agents.length &&
    agents.every((agent) => {
      const s = agent.stats();
      return s.pending === 0 && (options.stopAfterContainers === undefined || s.finished);
    });

  return {
    identities,
    production,
    stats,
    async waitUntilAllAcked(timeoutMs) {
      if (!(await waitFor(allAcked, timeoutMs))) {
        throw new Error(`fleet: not all acknowledged after ${timeoutMs} ms: ${JSON.stringify(stats().totals)}`);
      }
      return stats();
    },
    async stop(stopOptions) {
      for (const timer of startTimers) clock.clearTimeout(timer);
      startTimers.clear();
      await Promise.all([...started].map((agent) => agent.stop(stopOptions)));
      try {
        await store.close(); // fails after the flush time limit when the disk does not answer
      } finally {
        ledger?.close();
      }
    },
  };
}
