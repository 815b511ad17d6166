// Agents of a household (from the catalog) with their devices (from the readings), when each was
// last heard, and whether it is online: the agent's retained MQTT status when known, otherwise
// "heard within the online window".
import type { AgentRecord } from '../household-catalog.js';
import type { LastSeen } from '../influx/activity-queries.js';

export interface DeviceStatus {
  readonly id: string;
  readonly lastSeen: string | null;
  readonly online: boolean;
}

export interface AgentStatus {
  readonly id: string;
  readonly name: string;
  readonly revoked: boolean;
  readonly lastSeen: string | null;
  readonly online: boolean;
  /** The agent's retained status topic (`online`/`offline`), when the broker had one. */
  readonly reportedStatus: string | null;
  readonly devices: readonly DeviceStatus[];
}

/**
 * Every live agent, and every agent with readings in `seen` (a revoked one included, or one the
 * catalog does not know), sorted by id. A revoked agent with no readings in `seen` has nothing to
 * show and is left out.
 */
export function devicesStatus(
  agents: readonly AgentRecord[],
  seen: readonly LastSeen[],
  reported: ReadonlyMap<string, string>,
  options: { nowMs: number; onlineWindowMs: number },
): AgentStatus[] {
  const records = new Map(agents.map((a) => [a.id, a]));
  const seenByAgent = new Map<string, LastSeen[]>();
  for (const s of seen) {
    const devices = seenByAgent.get(s.agent);
    if (devices === undefined) seenByAgent.set(s.agent, [s]);
    else devices.push(s);
  }
  const ids = new Set([...agents.filter((a) => !a.revoked).map((a) => a.id), ...seenByAgent.keys()]);
  const recent = (ms: number | undefined): boolean => ms !== undefined && options.nowMs - ms <= options.onlineWindowMs;
  return [...ids].sort().map((id) => {
    const record = records.get(id);
    const devices = [...(seenByAgent.get(id) ?? [])].sort((a, b) => a.device.localeCompare(b.device));
    const lastMs = devices.length === 0 ? undefined : Math.max(...devices.map((d) => d.lastSeenMs));
    const status = reported.get(id) ?? null;
    return {
      id,
      name: record?.name ?? '',
      revoked: record?.revoked ?? false,
      lastSeen: lastMs === undefined ? null : new Date(lastMs).toISOString(),
      online: status === null ? recent(lastMs) : status === 'online',
      reportedStatus: status,
      devices: devices.map((d) => ({ id: d.device, lastSeen: new Date(d.lastSeenMs).toISOString(), online: recent(d.lastSeenMs) })),
    };
  });
}
