// Turns what one publish interval sampled into containers the broker will accept: at most
// maxMeasurementsPerContainer readings and maxContainerBytes each (split, so that every reading is
// kept), and without readings the broker refuses (dropped one by one, counted and reported, so one
// bad value never costs the other readings). Judged by the broker's own validator.
import { checkReadingsPublish, type RefusalReason, type ValidationLimits } from '../broker/validate-container.js';
import { encodeContainer, type Measurement } from '../proto/container.js';
import type { ContainerDraft } from './outbox.js';

export interface DroppedReadings {
  /** The broker's refusal, or `unsealed-overflow`: held too long unsealed (the disk refused them). */
  readonly reason: RefusalReason | 'unsealed-overflow';
  readonly count: number;
  /** The validator's words about the first one. */
  readonly example: string;
}

export interface SealPlan {
  readonly drafts: ContainerDraft[];
  readonly dropped: DroppedReadings[];
}

/** Refusals caused by one measurement: dropping it leaves the rest acceptable. */
const PER_MEASUREMENT: ReadonlySet<RefusalReason> = new Set(['bad-device-id', 'bad-value', 'bad-timestamp']);

export function planSeal(draft: ContainerDraft, limits: ValidationLimits, nowMs: number): SealPlan {
  const topic = { householdId: draft.householdId, agentId: draft.agentId, kind: 'readings' } as const;
  // The outbox assigns seq later; the largest one gives the largest encoding. The broker's own
  // check, wire-format scan first: a fleet seals thousands of containers a second in load tests.
  const verdict = (measurements: Measurement[]) =>
    checkReadingsPublish(topic, encodeContainer({ ...draft, seq: Number.MAX_SAFE_INTEGER, measurements }), nowMs, limits);
  const dropped = new Map<RefusalReason, { count: number; example: string }>();
  const drop = (reason: RefusalReason, count: number, detail: string): void => {
    const seen = dropped.get(reason);
    dropped.set(reason, { count: (seen?.count ?? 0) + count, example: seen?.example ?? detail });
  };

  const drafts: ContainerDraft[] = [];
  const pending = chunks(draft.measurements, limits.maxMeasurementsPerContainer);
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    const check = verdict(part);
    if (check.ok) {
      drafts.push({ ...draft, measurements: part });
    } else if (check.reason === 'too-large' && part.length > 1) {
      pending.unshift(part.slice(0, part.length >> 1), part.slice(part.length >> 1));
    } else if (PER_MEASUREMENT.has(check.reason) && part.length > 1) {
      const kept = part.filter((m) => {
        const one = verdict([m]);
        if (!one.ok) drop(one.reason, 1, one.detail.replace(/^measurement 0: /, ''));
        return one.ok;
      });
      // Each kept reading passes alone; a refusal of them together would not be per measurement.
      if (kept.length === part.length) drop(check.reason, part.length, check.detail);
      else if (kept.length > 0) pending.unshift(kept);
    } else {
      drop(check.reason, part.length, check.detail.replace(/^measurement 0: /, ''));
    }
  }
  return { drafts, dropped: [...dropped].map(([reason, { count, example }]) => ({ reason, count, example })) };
}

function chunks(measurements: readonly Measurement[], size: number): Measurement[][] {
  const parts: Measurement[][] = [];
  for (let i = 0; i < measurements.length; i += size) parts.push(measurements.slice(i, i + size));
  return parts;
}
