// Containers and limits the validation and wire-format tests share: one valid container for topic
// h-1/a-1 at NOW, varied by overrides.
import type { Measurement, ReadingContainer } from '../../proto/container.js';
import type { ValidationLimits } from '../../broker/validate-container.js';

export const NOW = Date.UTC(2026, 10, 22, 12);

export const limits: ValidationLimits = {
  maxContainerBytes: 64 * 1024,
  maxMeasurementsPerContainer: 100,
  maxDeviceIdChars: 128,
  maxReadingAgeMs: 30 * 86_400_000,
  maxFutureSkewMs: 300_000,
};

export const topic = { householdId: 'h-1', agentId: 'a-1', kind: 'readings' as const };

export const measurement = (overrides: Partial<Measurement> = {}): Measurement => ({
  deviceId: 'fridge',
  quantity: 'power_w',
  value: 101.5,
  timestampMs: NOW - 1000,
  ...overrides,
});

export const container = (overrides: Partial<ReadingContainer> = {}): ReadingContainer => ({
  householdId: 'h-1',
  agentId: 'a-1',
  seq: 7,
  createdAtMs: NOW,
  measurements: [measurement()],
  ...overrides,
});
