import { describe, expect, it } from 'vitest';
import { createAgentDeviceBound, MAX_TRACKED_AGENTS, type DeviceBoundSettings } from '../agent-device-bound.js';
import { DeviceIdHashes, hashDeviceId, hashDeviceIdBytes } from '../device-id-hashes.js';
import { checkReadingsPublish, DEFAULT_VALIDATION_LIMITS } from '../validate-container.js';
import { encodeContainer } from '../../proto/container.js';

const HOUR_MS = 60 * 60 * 1000;

function setup(settings: DeviceBoundSettings = { maxDevicesPerAgent: 4, windowMs: 24 * HOUR_MS }) {
  const bound = createAgentDeviceBound(settings);
  const hashes = new DeviceIdHashes();
  /** Whether a container of these device ids from `agent` at `nowMs` is admitted. */
  const report = (agent: string, ids: readonly string[], nowMs = 0): boolean => {
    hashes.reset();
    for (const id of ids) hashes.add(hashDeviceId(id));
    return bound.admit(agent, hashes, nowMs) === undefined;
  };
  return { bound, report, hashes };
}

describe('device id hashes', () => {
  it('when an ASCII id is hashed from its bytes or from its string, then both agree', () => {
    for (const id of ['plug', 'living room lamp', 'a\\,b = c', 'x'.repeat(128)]) {
      const bytes = Buffer.from(`--${id}--`, 'latin1');
      expect(hashDeviceIdBytes(bytes, 2, id.length)).toBe(hashDeviceId(id));
    }
    expect(hashDeviceId('plug-1')).not.toBe(hashDeviceId('plug-2'));
  });

  it('when more ids come than the buffer holds, then it grows', () => {
    const hashes = new DeviceIdHashes();
    for (let i = 0; i < 1000; i++) hashes.add(i + 1);
    expect(hashes.count).toBe(1000);
    expect(hashes.values[999]).toBe(1000);
  });
});

describe('agent device bound', () => {
  it('when a container would take the agent past the bound, then it is refused and its new ids are not counted', () => {
    const { report, bound, hashes } = setup();
    expect(report('a', ['p1', 'p2', 'p3'])).toBe(true);
    expect(report('a', ['p1', 'p4', 'p5'])).toBe(false); // 3 + 2 > 4
    hashes.reset();
    for (const id of ['p1', 'p5', 'p6']) hashes.add(hashDeviceId(id));
    expect(bound.admit('a', hashes, 0)).toMatch(/3 device ids .* adds at least 2 .* limit 4/);
    // Nothing of the refused ones was counted: one more new id still fits, then no more.
    expect(report('a', ['p1', 'p2', 'p3'])).toBe(true);
    expect(report('a', ['p4'])).toBe(true);
    expect(report('a', ['p5'])).toBe(false);
  });

  it('when the bound is reached, then containers of known devices still pass, however listed', () => {
    const { report } = setup();
    expect(report('a', ['p1', 'p2', 'p3', 'p4'])).toBe(true);
    expect(report('a', ['p4', 'p4', 'p1', 'p3', 'p1', 'p2'])).toBe(true);
    expect(report('a', ['p1', 'p5'])).toBe(false);
    expect(report('a', ['p2'])).toBe(true);
  });

  it('when one container repeats a new id, then it counts once', () => {
    const { report } = setup();
    expect(report('a', ['p1', 'p2', 'p1', 'p2', 'p3', 'p4', 'p3', 'p4'])).toBe(true);
    expect(report('a', ['p5'])).toBe(false);
  });

  it('when one agent is at its bound, then another agent is not affected', () => {
    const { report } = setup();
    expect(report('a', ['p1', 'p2', 'p3', 'p4'])).toBe(true);
    expect(report('a', ['p5'])).toBe(false);
    expect(report('b', ['p5', 'p6', 'p7', 'p8'])).toBe(true);
  });

  it('when the window has passed, then the agent may report new ids again', () => {
    const { report } = setup({ maxDevicesPerAgent: 2, windowMs: HOUR_MS });
    expect(report('a', ['old-1', 'old-2'], 0)).toBe(true);
    expect(report('a', ['new-1'], HOUR_MS - 1)).toBe(false);
    expect(report('a', ['new-1', 'new-2'], HOUR_MS)).toBe(true);
    expect(report('a', ['old-1'], HOUR_MS + 1)).toBe(false); // a new window: old-1 is new again, and the bound is full
  });

  it('when agents were idle for a window, then their state is evicted at the next sweep', () => {
    const { report, bound } = setup({ maxDevicesPerAgent: 256, windowMs: HOUR_MS });
    for (let i = 0; i < 1000; i++) report(`agent-${i}`, ['p1', 'p2'], 0);
    report('busy', ['p1'], HOUR_MS / 2);
    expect(bound.trackedAgents()).toBe(1001);
    report('busy', ['p1'], HOUR_MS + 1);
    expect(bound.trackedAgents()).toBe(1);
  });

  it('when more agents report than it tracks, then the longest-tracked are forgotten (their counts start again)', () => {
    const { report, bound } = setup({ maxDevicesPerAgent: 1, windowMs: HOUR_MS });
    expect(report('first', ['p1'])).toBe(true);
    expect(report('first', ['p2'])).toBe(false);
    for (let i = 0; i < MAX_TRACKED_AGENTS; i++) report(`agent-${i}`, ['p1']);
    expect(bound.trackedAgents()).toBe(MAX_TRACKED_AGENTS);
    expect(report('first', ['p2'])).toBe(true);
  });

  it('when an agent reports up to its bound of many ids, then every known one still passes (the table grows)', () => {
    const { report } = setup({ maxDevicesPerAgent: 256, windowMs: HOUR_MS });
    const ids = Array.from({ length: 256 }, (_, i) => `socket-${i}`);
    for (let i = 0; i < 256; i += 16) expect(report('a', ids.slice(i, i + 16))).toBe(true);
    expect(report('a', ids)).toBe(true);
    expect(report('a', ['socket-256'])).toBe(false);
  });
});

describe('device ids of a checked container', () => {
  const topic = { householdId: 'h-1', agentId: 'a-1', kind: 'readings' as const };
  const payload = (deviceIds: readonly string[]): Uint8Array => {
    const now = Date.now();
    const measurements = deviceIds.map((deviceId) => ({ deviceId, quantity: 'power_w' as const, value: 1, timestampMs: now }));
    return encodeContainer({ householdId: 'h-1', agentId: 'a-1', seq: 1, createdAtMs: now, measurements });
  };
  const hashesOf = (deviceIds: readonly string[]): number[] => {
    const hashes = new DeviceIdHashes();
    expect(checkReadingsPublish(topic, payload(deviceIds), Date.now(), DEFAULT_VALIDATION_LIMITS, hashes).ok).toBe(true);
    return [...hashes.values.subarray(0, hashes.count)];
  };

  it('when a container is scanned or fully validated, then its ids hash the same, one device run once', () => {
    const scanned = hashesOf(['kitchen', 'kitchen', 'washer', 'kitchen']);
    expect(scanned).toEqual([hashDeviceId('kitchen'), hashDeviceId('washer'), hashDeviceId('kitchen')]);
    // A non-ASCII id sends the container to the full validator; the ASCII ids hash as before.
    const validated = hashesOf(['kitchen', 'Küche', 'washer']);
    expect(validated).toEqual([hashDeviceId('kitchen'), hashDeviceId('Küche'), hashDeviceId('washer')]);
  });
});
