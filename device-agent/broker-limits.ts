// What the broker accepts in one readings container. The broker refuses a whole container for any
// one bad reading and acknowledges it into its dead-letter store (docs/dead-letters.md), so the
// agent must never seal one it would refuse: it checks every container with the broker's own
// validator against these limits before the container enters the outbox (sealable-containers.ts).
import type { ValidationLimits } from '../broker/validate-container.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The broker's defaults (broker/config.ts, EM_BROKER_MAX_*); a test holds them equal. */
export const BROKER_DEFAULT_LIMITS: ValidationLimits = Object.freeze({
  maxContainerBytes: 64 * 1024,
  maxMeasurementsPerContainer: 1000,
  maxDeviceIdChars: 128,
  maxReadingAgeMs: 30 * DAY_MS,
  maxFutureSkewMs: 5 * 60 * 1000,
});
