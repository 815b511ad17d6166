// The dead-letter store's budget as environment variables, shared by the processes that keep one
// (EM_BROKER_DEAD_LETTER_*, EM_WRITE_DEAD_LETTER_*), validated with the rest of their config.
import { z } from 'zod';
import { DEFAULT_DEAD_LETTER_MAX_BYTES, DEFAULT_DEAD_LETTER_MAX_PAYLOAD_BYTES } from './dead-letter-store.js';

/** Full-size letters the budget must hold at least, so that one burst does not evict everything. */
const MIN_LETTERS_IN_BUDGET = 16;

export const deadLetterMaxBytes = z.coerce.number().int().min(1024 * 1024).default(DEFAULT_DEAD_LETTER_MAX_BYTES);
// 1 KiB at least: enough of a container or a line to see what is wrong with it.
export const deadLetterMaxPayloadBytes = z.coerce.number().int().min(1024).default(DEFAULT_DEAD_LETTER_MAX_PAYLOAD_BYTES);

/** A refinement: the kept prefix fits the budget many times over; the issue names both variables. */
export function requirePayloadWithinBudget(maxBytesVariable: string, maxPayloadVariable: string) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const maxBytes = env[maxBytesVariable];
    const maxPayloadBytes = env[maxPayloadVariable];
    if (typeof maxBytes !== 'number' || typeof maxPayloadBytes !== 'number') return;
    if (maxPayloadBytes * MIN_LETTERS_IN_BUDGET > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        path: [maxPayloadVariable],
        message: `must be at most 1/${MIN_LETTERS_IN_BUDGET} of ${maxBytesVariable} (${maxBytes}), got ${maxPayloadBytes}`,
      });
    }
  };
}
