// What a fleet is started with (startFleet in fleet.ts): the options of the API and the identity of
// each simulated agent. fleet-config.ts reads a fleet process's configuration from EM_FLEET_* variables.
import type { Registry } from 'prom-client';
import type { ReadingContainer } from '../proto/container.js';
import type { Logger } from '../lib/log.js';
import type { Clock } from './clock.js';
import type { BackoffOptions } from './mqtt/backoff.js';

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
