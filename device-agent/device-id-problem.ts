// Whether the broker would accept a device id, by the broker's own rule (so the two cannot drift
// apart): configuration refuses a plug name the broker would refuse, instead of every container
// that carries it being dead-lettered.
import { DEFAULT_VALIDATION_LIMITS, deviceIdProblem as brokerDeviceIdProblem, type ValidationLimits } from '../broker/validate-container.js';

/** Why the broker would refuse readings of `deviceId`, or undefined when it accepts them. */
export function deviceIdProblem(deviceId: string, limits: ValidationLimits = DEFAULT_VALIDATION_LIMITS): string | undefined {
  return brokerDeviceIdProblem(deviceId, limits.maxDeviceIdChars);
}
