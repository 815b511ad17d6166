// How many distinct device ids one agent may report in a window: each (agent, device, quantity) is
// a series in InfluxDB, and its series limits (max-series-per-database, max-values-per-tag) are
// shared by every household. A container that would take its agent past the bound is refused
// whole (a dead letter, `too-many-devices`), and its new ids are not counted: later containers of
// the devices already known still pass.
//
// Windows are fixed, per agent: one starts at the agent's first container, and the count starts
// again once it has passed (so at most 2 × the bound in any one window's length, across a window's
// end). An agent whose window has passed is in the same state as one never seen: evicting it changes
// nothing. In memory only: a restarted broker starts every agent's count again.
//
// Ids are kept as 32-bit hashes (device-id-hashes.ts) in a small open-addressing table per agent.
// Two ids with the same hash count as one: a collision can only let a new id through uncounted,
// never refuse a known one.
import type { DeviceIdHashes } from './device-id-hashes.js';

/**
 * The bound when EM_BROKER_MAX_DEVICES_PER_AGENT is not set. An agent reports its EM_AGENT_PLUGS or
 * simulated EM_AGENT_DEVICES (30 at most), a household 11–30 sockets; 256 leaves room for every
 * plug to be renamed several times a day. The device agent refuses a longer plug list at start
 * (device-agent/agent-config.ts): every container past the bound would be refused.
 */
export const DEFAULT_MAX_DEVICES_PER_AGENT = 256;

export interface DeviceBoundSettings {
  /** Distinct device ids one agent may report per window; 0 disables the bound. */
  readonly maxDevicesPerAgent: number;
  readonly windowMs: number;
}

export interface AgentDeviceBound {
  /** Undefined: the container's ids fit the agent's bound, and are counted. Else why not (nothing counted). */
  admit(agent: string, devices: DeviceIdHashes, nowMs: number): string | undefined;
  /** Agents whose ids are kept (memory). */
  trackedAgents(): number;
}

interface AgentDevices {
  readonly windowStartMs: number;
  size: number;
  /** Open addressing, linear probing; 0 is an empty slot (hashes are never 0). Kept at most half full. */
  slots: Uint32Array;
}

/**
 * Agents kept at most, over three times the connections one broker process holds (docs/benchmarks.md,
 * connection storm); past it the longest-tracked is forgotten (its count starts again: lets ids
 * through, refuses none).
 */
export const MAX_TRACKED_AGENTS = 1 << 16;
const FIRST_TABLE_SLOTS = 32;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

function has(table: Uint32Array, hash: number): boolean {
  const mask = table.length - 1;
  for (let i = hash & mask; ; i = (i + 1) & mask) {
    const slot = table[i];
    if (slot === hash) return true;
    if (slot === 0) return false;
  }
}

function insert(table: Uint32Array, hash: number): void {
  const mask = table.length - 1;
  let i = hash & mask;
  while (table[i] !== 0) i = (i + 1) & mask;
  table[i] = hash;
}

function add(state: AgentDevices, hash: number): void {
  if ((state.size + 1) * 2 > state.slots.length) {
    const grown = new Uint32Array(state.slots.length * 2);
    for (const slot of state.slots) if (slot !== 0) insert(grown, slot);
    state.slots = grown;
  }
  insert(state.slots, hash);
  state.size++;
}

export function createAgentDeviceBound(settings: DeviceBoundSettings): AgentDeviceBound {
  const { maxDevicesPerAgent: max, windowMs } = settings;
  if (max === 0) return { admit: () => undefined, trackedAgents: () => 0 };
  const agents = new Map<string, AgentDevices>();
  /** The container's ids the agent has not reported yet, distinct (they fit the bound, so at most max). */
  const fresh = new Uint32Array(max);
  const sweepEveryMs = Math.min(windowMs, SWEEP_EVERY_MS);
  let nextSweepAt: number | undefined;

  function sweep(nowMs: number): void {
    for (const [agent, state] of agents) if (nowMs >= state.windowStartMs + windowMs) agents.delete(agent);
    nextSweepAt = nowMs + sweepEveryMs;
  }

  function stateOf(agent: string, nowMs: number): AgentDevices {
    const known = agents.get(agent);
    if (known !== undefined && nowMs < known.windowStartMs + windowMs) return known;
    if (known === undefined && agents.size >= MAX_TRACKED_AGENTS) {
      sweep(nowMs);
      // Map order is insertion order: the first key is the longest-tracked agent.
      if (agents.size >= MAX_TRACKED_AGENTS) agents.delete(agents.keys().next().value as string);
    }
    const state: AgentDevices = { windowStartMs: nowMs, size: 0, slots: new Uint32Array(FIRST_TABLE_SLOTS) };
    if (known !== undefined) agents.delete(agent); // re-inserted last: longest-tracked stays first
    agents.set(agent, state);
    return state;
  }

  return {
    admit(agent, devices, nowMs) {
      if (nextSweepAt === undefined) nextSweepAt = nowMs + sweepEveryMs;
      else if (nowMs >= nextSweepAt) sweep(nowMs);
      const state = stateOf(agent, nowMs);
      const { values, count } = devices;
      let freshCount = 0;
      for (let i = 0; i < count; i++) {
        const hash = values[i] as number;
        if (has(state.slots, hash)) continue;
        let seen = false;
        for (let j = 0; j < freshCount && !seen; j++) seen = fresh[j] === hash;
        if (seen) continue;
        if (state.size + freshCount >= max) {
          return (
            `the agent reported ${state.size} device ids since ${new Date(state.windowStartMs).toISOString()}; ` +
            `this container adds at least ${freshCount + 1} more: limit ${max} per ${windowMs} ms (EM_BROKER_MAX_DEVICES_PER_AGENT)`
          );
        }
        fresh[freshCount++] = hash;
      }
      for (let j = 0; j < freshCount; j++) add(state, fresh[j] as number);
      return undefined;
    },
    trackedAgents: () => agents.size,
  };
}
