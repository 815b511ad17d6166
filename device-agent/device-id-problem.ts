// Whether the broker would accept a device id, asked of the broker's own validator (so the rules
// cannot drift apart): configuration refuses a plug name the broker would refuse, instead of every
// container that carries it being dead-lettered.
import { validateReadingsPublish, type ValidationLimits } from '../broker/validate-container.js';
import { encodeContainer } from '../proto/container.js';
import { BROKER_DEFAULT_LIMITS } from './broker-limits.js';

const PROBE_MS = Date.UTC(2024, 0, 1);

/** Why the broker would refuse readings of `deviceId`, or undefined when it accepts them. */
export function deviceIdProblem(deviceId: string, limits: ValidationLimits = BROKER_DEFAULT_LIMITS): string | undefined {
  const probe = encodeContainer({
    householdId: 'h',
    agentId: 'a',
    seq: 1,
    createdAtMs: PROBE_MS,
    measurements: [{ deviceId, quantity: 'power_w', value: 0, timestampMs: PROBE_MS }],
  });
  const verdict = validateReadingsPublish({ householdId: 'h', agentId: 'a', kind: 'readings' }, probe, PROBE_MS, limits);
  return verdict.ok ? undefined : verdict.detail.replace(/^measurement 0: /, '');
}
