// Simulated time: 10-second slots, read in the household's local time (meals and evenings are local).
import { between, unitHash } from './seeded-hash.js';

export const SLOT_MS = 10_000;
const DAY_MS = 86_400_000;

export interface LocalSlot {
  /** Index of the slot since the Unix epoch. */
  readonly slot: number;
  /** UTC start of the slot. */
  readonly startMs: number;
  /** Local day since 1970-01-01. */
  readonly dayIndex: number;
  readonly minuteOfDay: number;
  readonly dayOfYear: number;
  readonly weekend: boolean;
}

export function slotOf(timeMs: number): number {
  return Math.floor(timeMs / SLOT_MS);
}

export function localSlot(slot: number, utcOffsetMinutes: number): LocalSlot {
  const startMs = slot * SLOT_MS;
  const localMs = startMs + utcOffsetMinutes * 60_000;
  const dayIndex = Math.floor(localMs / DAY_MS);
  const weekday = (((dayIndex + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return {
    slot,
    startMs,
    dayIndex,
    minuteOfDay: (localMs - dayIndex * DAY_MS) / 60_000,
    dayOfYear: ((dayIndex % 365.2425) + 365.2425) % 365.2425,
    weekend: weekday === 0 || weekday === 6,
  };
}

export interface DailyEventSpec {
  readonly probability: number;
  readonly earliestMin: number;
  readonly latestMin: number;
  readonly minDurationMin: number;
  readonly maxDurationMin: number;
}

export interface DailyEvent {
  readonly startMin: number;
  readonly endMin: number;
}

/** Whether and when something happens on a given day (at most once; specs end before midnight). */
export function dailyEvent(key: number, salt: number, dayIndex: number, spec: DailyEventSpec): DailyEvent | undefined {
  if (unitHash(key, salt, dayIndex * 3) >= spec.probability) return undefined;
  const startMin = between(key, salt, dayIndex * 3 + 1, spec.earliestMin, spec.latestMin);
  const durationMin = between(key, salt, dayIndex * 3 + 2, spec.minDurationMin, spec.maxDurationMin);
  return { startMin, endMin: Math.min(startMin + durationMin, 24 * 60) };
}

export function inEvent(event: DailyEvent | undefined, at: LocalSlot): boolean {
  return event !== undefined && at.minuteOfDay >= event.startMin && at.minuteOfDay < event.endMin;
}
