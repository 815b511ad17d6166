import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../household-catalog.js';
import type { LastSeen } from '../influx/activity-queries.js';
import { devicesStatus } from '../use-cases/devices-status.js';

const NOW = Date.parse('2026-04-02T12:00:00Z');
const options = { nowMs: NOW, onlineWindowMs: 180_000 };
const agent = (id: string, revoked = false): AgentRecord => ({ id, name: `name of ${id}`, revoked });
const seen = (agentId: string, device: string, agoMs: number): LastSeen => ({ agent: agentId, device, lastSeenMs: NOW - agoMs });

describe('devicesStatus', () => {
  it('when an agent is live, then it is listed even without readings', () => {
    const [status] = devicesStatus([agent('a1')], [], new Map(), options);
    expect(status).toEqual({ id: 'a1', name: 'name of a1', revoked: false, lastSeen: null, online: false, reportedStatus: null, devices: [] });
  });

  it('when a revoked agent has readings in the window, then it is listed as revoked with its devices', () => {
    const result = devicesStatus([agent('a1', true)], [seen('a1', 'fridge', 3_600_000)], new Map(), options);
    expect(result).toMatchObject([{ id: 'a1', revoked: true, online: false, devices: [{ id: 'fridge', online: false }] }]);
  });

  it('when a revoked agent has no readings in the window, then it is left out', () => {
    const result = devicesStatus([agent('old', true), agent('live')], [], new Map(), options);
    expect(result.map((s) => s.id)).toEqual(['live']);
  });

  it('when readings come from an agent the catalog does not know, then it is listed without a name', () => {
    expect(devicesStatus([], [seen('ghost', 'd', 1_000)], new Map(), options)).toMatchObject([{ id: 'ghost', name: '', revoked: false, online: true }]);
  });

  it('when several agents and devices are seen, then agents and devices come sorted with their latest reading', () => {
    const result = devicesStatus(
      [agent('b'), agent('a')],
      [seen('b', 'z', 10_000), seen('a', 'y', 500_000), seen('b', 'x', 1_000), seen('a', 'w', 400_000)],
      new Map(),
      options,
    );
    expect(result.map((s) => [s.id, s.devices.map((d) => d.id)])).toEqual([
      ['a', ['w', 'y']],
      ['b', ['x', 'z']],
    ]);
    expect(result[0]?.lastSeen).toBe(new Date(NOW - 400_000).toISOString());
    expect(result[0]?.online).toBe(false);
    expect(result[1]?.online).toBe(true);
  });

  it("when the broker holds an agent's retained status, then that decides online over the readings", () => {
    const result = devicesStatus([agent('a'), agent('b')], [seen('a', 'd', 1_000)], new Map([['a', 'offline'], ['b', 'online']]), options);
    expect(result.map((s) => [s.id, s.online, s.reportedStatus])).toEqual([
      ['a', false, 'offline'],
      ['b', true, 'online'],
    ]);
  });
});
