// Puts the per-address failure throttle (auth-failure-throttle.ts) around the authenticate hook: a
// CONNECT from a throttled address is refused before its credentials are looked up, and a CONNECT
// refused for its credentials is counted against its address. An address has at most a few lookups
// under way at once (address-lookup-gate.ts); its other CONNECTs wait their turn and are checked
// against the throttle again when it comes, so a thousand bad CONNECTs sent together cost about
// `maxFailuresPerAddress` lookups, not a thousand.
//
// The refusal is CONNACK 0x03, "Server unavailable" (MQTT 3.1.1 §3.2.2.3), not 0x04/0x05: it is
// temporary, and it also meets clients with good credentials behind the same address (carrier-grade
// NAT) — "not authorized" would send their owners looking for a credential problem they do not have.
// Either way a well-behaved client backs off (the device agent: full jitter, up to 30 s) and the
// connection is closed after the CONNACK [MQTT-3.2.2-5].
import type { AuthenticateError } from 'aedes';
import { clipForLog, type Logger } from '../lib/log.js';
import type { AuthenticateHandler } from './aedes-types.js';
import { throttleAddress } from '../lib/http/throttle-address.js';
import type { AddressLookupGate } from './address-lookup-gate.js';
import type { AuthFailureThrottle } from './auth-failure-throttle.js';
import { ConnectRefused, kindOfAttempt, refusedCredentials } from './authenticate.js';
import { clientAddress } from './client-address.js';
import type { BrokerMetrics } from './metrics.js';

export interface FailureThrottleDeps {
  readonly throttle: AuthFailureThrottle;
  readonly gate: AddressLookupGate;
  readonly settings: { readonly maxFailuresPerAddress: number; readonly windowMs: number };
  /** Monotonic: a wall-clock step must not throttle or free every address at once. */
  readonly nowMs: () => number;
  readonly metrics: Pick<BrokerMetrics, 'authAttempts'>;
  readonly log: Logger;
}

/** The `outcome` of em_broker_auth_attempts_total for a CONNECT refused by the throttle. */
export const THROTTLED_OUTCOME = 'address-throttled';
/** The `outcome` for a CONNECT turned away because its address's line of waiting CONNECTs is full. */
export const BUSY_OUTCOME = 'address-busy';

const refusedError = (outcome: string): AuthenticateError => Object.assign(new Error(`connect refused: ${outcome}`), { returnCode: 3 as const });

export function withAuthFailureThrottle(deps: FailureThrottleDeps, authenticate: AuthenticateHandler): AuthenticateHandler {
  const { throttle, gate, settings, nowMs, metrics, log } = deps;
  return (client, username, password, done) => {
    const address = clientAddress(client);
    if (address === undefined) return authenticate(client, username, password, done);
    const refuse = (outcome: string): void => {
      // Not logged one by one: a flood would write a line per CONNECT; the metric counts them.
      metrics.authAttempts.inc({ kind: kindOfAttempt(username), outcome });
      done(refusedError(outcome), false);
    };
    if (throttle.isThrottled(address, nowMs())) return refuse(THROTTLED_OUTCOME);
    const admitted = gate.enter(throttleAddress(address), (release) => {
      // Checked again at the turn: the CONNECTs ahead in line may have throttled the address, or
      // the client may have gone while it waited (Aedes then ignores the answer).
      if (client.closed) {
        release();
        return done(refusedError('client gone'), false);
      }
      if (throttle.isThrottled(address, nowMs())) {
        release();
        return refuse(THROTTLED_OUTCOME);
      }
      const answered: Parameters<AuthenticateHandler>[3] = (error, success) => {
        if (error !== null && error.cause instanceof ConnectRefused && refusedCredentials(error.cause) && throttle.countFailure(address, nowMs())) {
          log.warn(
            { address: clipForLog(address), ...settings },
            'address throttled: too many CONNECTs with bad credentials; its CONNECTs are refused (0x03) without a lookup for windowMs (EM_BROKER_AUTH_FAILURES_PER_ADDRESS)',
          );
        }
        // Released after counting, so the next CONNECT in line sees this failure.
        release();
        done(error, success);
      };
      try {
        authenticate(client, username, password, answered);
      } catch (err) {
        release();
        throw err;
      }
    });
    if (!admitted) refuse(BUSY_OUTCOME);
  };
}
