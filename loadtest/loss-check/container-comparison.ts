// One container, produced against stored: how many of its readings are lost, stored again under
// another timestamp (duplicated), and how many stored points it never held (unexpected).
import { readingId } from '../../device-agent/production-ledger.js';

/** A stored point: its readingId, and what it is without its timestamp (device, quantity, value). */
export interface StoredReading {
  readonly id: number;
  readonly copyKey: string;
}

export interface ContainerDifference {
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
}

/** A stored point as the classifier compares it (same identity as the production ledger's). */
export function storedReading(deviceId: string, quantity: string, timestampMs: number, value: number): StoredReading {
  return { id: readingId(deviceId, quantity, timestampMs, value), copyKey: `${deviceId}\u0000${quantity}\u0000${String(value)}` };
}

/**
 * By identity: a produced reading without a stored point of its identity is lost; a stored point
 * no produced reading has is duplicated when it repeats (device, quantity, value) a reading of
 * the container that was stored, unexpected otherwise.
 */
export function compareReadings(producedIds: readonly number[], stored: readonly StoredReading[]): ContainerDifference {
  const unmatched = new Map<number, number>();
  for (const id of producedIds) unmatched.set(id, (unmatched.get(id) ?? 0) + 1);
  const storedCopies = new Set<string>();
  const extra: StoredReading[] = [];
  for (const reading of stored) {
    const left = unmatched.get(reading.id) ?? 0;
    if (left === 0) {
      extra.push(reading);
      continue;
    }
    unmatched.set(reading.id, left - 1);
    storedCopies.add(reading.copyKey);
  }
  const duplicated = extra.filter((reading) => storedCopies.has(reading.copyKey)).length;
  const lost = [...unmatched.values()].reduce((sum, n) => sum + n, 0);
  return { lost, duplicated, unexpected: extra.length - duplicated };
}

/** By count only (a ledger without reading identities): fewer points are lost, more duplicated. */
export function compareByCount(readings: number, points: number): ContainerDifference {
  return { lost: Math.max(0, readings - points), duplicated: Math.max(0, points - readings), unexpected: 0 };
}
