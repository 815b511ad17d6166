// The oldest and newest stamp among some readings: what the seal restamps after and the outbox keeps.
import type { Measurement } from '../proto/container.js';

/** The oldest and newest stamp of some readings (a loop: a held-back seal may hold 100,000). */
export function stampSpan(measurements: readonly Measurement[]): { firstMs: number; lastMs: number } {
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const m of measurements) {
    if (m.timestampMs < firstMs) firstMs = m.timestampMs;
    if (m.timestampMs > lastMs) lastMs = m.timestampMs;
  }
  return { firstMs, lastMs };
}
