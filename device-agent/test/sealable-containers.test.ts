import { describe, expect, it } from 'vitest';
import { validateReadingsPublish } from '../../broker/validate-container.js';
import { loadBrokerConfig } from '../../broker/config.js';
import { encodeContainer, type Measurement } from '../../proto/container.js';
import { DEFAULT_VALIDATION_LIMITS as BROKER_DEFAULT_LIMITS } from '../../broker/validate-container.js';
import { deviceIdProblem } from '../device-id-problem.js';
import type { ContainerDraft } from '../outbox.js';
import { planSeal } from '../sealable-containers.js';
import { tasmotaMeasurements } from '../sources/tasmota.js';

const NOW = Date.UTC(2024, 0, 15, 12);
const TOPIC = { householdId: 'h-1', agentId: 'a-1', kind: 'readings' } as const;

function draftOf(measurements: Measurement[]): ContainerDraft {
  return { householdId: 'h-1', agentId: 'a-1', createdAtMs: NOW, measurements };
}

function readings(count: number, deviceId = 'plug'): Measurement[] {
  return Array.from({ length: count }, (_, i) => ({ deviceId, quantity: 'power_w', value: i, timestampMs: NOW - count + i }));
}

function acceptedByBroker(draft: ContainerDraft, seq: number): boolean {
  return validateReadingsPublish(TOPIC, encodeContainer({ ...draft, seq }), NOW, BROKER_DEFAULT_LIMITS).ok;
}

describe('sealable containers', () => {
  it('holds the broker defaults of broker/config.ts', () => {
    expect(BROKER_DEFAULT_LIMITS).toEqual(loadBrokerConfig({ EM_BROKER_AUTH: 'disabled' }).limits);
  });

  it('when an interval sampled more than the broker takes per container, then it is split and every reading is kept in order', () => {
    // 10 simulated sockets (21 readings a poll) sampled every second for a minute: 1260 readings.
    const all = readings(1260);
    const plan = planSeal(draftOf(all), BROKER_DEFAULT_LIMITS, NOW);
    expect(plan.dropped).toEqual([]);
    expect(plan.drafts.map((d) => d.measurements.length)).toEqual([1000, 260]);
    expect(plan.drafts.flatMap((d) => d.measurements)).toEqual(all);
    expect(plan.drafts.every((d, i) => acceptedByBroker(d, i + 1))).toBe(true);
  });

  it('when the readings would make a container larger than the broker takes, then it is split by size too', () => {
    const all = readings(1000, 'x'.repeat(128)); // ~150 bytes each: over 64 KiB together
    const plan = planSeal(draftOf(all), BROKER_DEFAULT_LIMITS, NOW);
    expect(plan.drafts.length).toBeGreaterThan(1);
    expect(plan.drafts.flatMap((d) => d.measurements)).toEqual(all);
    expect(plan.drafts.every((d) => acceptedByBroker(d, Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it('when a plug reports a value that is not finite, then that reading alone is dropped and reported', () => {
    // A Tasmota Total of 1e305 kWh is Infinity in Wh.
    const body = JSON.stringify({ StatusSNS: { ENERGY: { Total: 1e305, Power: 40 } } });
    const bad = tasmotaMeasurements(body, 'washer', 0, NOW);
    const good = readings(3, 'fridge');
    const plan = planSeal(draftOf([...good, ...bad]), BROKER_DEFAULT_LIMITS, NOW);
    expect(plan.drafts.flatMap((d) => d.measurements)).toEqual([...good, bad[0]]);
    expect(plan.dropped).toEqual([{ reason: 'bad-value', count: 1, example: expect.stringMatching(/not finite/) as unknown }]);
    expect(plan.drafts.every((d, i) => acceptedByBroker(d, i + 1))).toBe(true);
  });

  it('when a device id is one the broker refuses, then only its readings are dropped', () => {
    const plan = planSeal(draftOf([...readings(2, 'y'.repeat(129)), ...readings(2, 'ok')]), BROKER_DEFAULT_LIMITS, NOW);
    expect(plan.drafts.flatMap((d) => d.measurements.map((m) => m.deviceId))).toEqual(['ok', 'ok']);
    expect(plan.dropped).toMatchObject([{ reason: 'bad-device-id', count: 2 }]);
  });

  it('when nothing is acceptable, then no container is planned', () => {
    const plan = planSeal(draftOf([{ deviceId: 'p', quantity: 'power_w', value: Number.NaN, timestampMs: NOW }]), BROKER_DEFAULT_LIMITS, NOW);
    expect(plan.drafts).toEqual([]);
    expect(plan.dropped).toMatchObject([{ reason: 'bad-value', count: 1 }]);
  });

  it('asks the broker about device ids: 128 characters pass, 129 and a trailing backslash do not', () => {
    expect(deviceIdProblem('k'.repeat(128))).toBeUndefined();
    expect(deviceIdProblem('k'.repeat(129))).toMatch(/129 characters, limit 128/);
    expect(deviceIdProblem('plug\\')).toMatch(/backslash/);
  });
});
