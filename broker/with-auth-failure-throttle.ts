// Puts the per-address failure throttle (auth-failure-throttle.ts) around the authenticate hook: a
// CONNECT from a throttled address is refused before its credentials are looked up, and a CONNECT
// refused for its credentials is counted against its address.
//
// The refusal is CONNACK 0x03, "Server unavailable" (MQTT 3.1.1 §3.2.2.3), not 0x04/0x05: it is
// temporary, and it also meets clients with good credentials behind the same address (carrier-grade
// NAT) — "not authorized" would send their owners looking for a credential problem they do not have.
// Either way a well-behaved client backs off (the device agent: full jitter, up to 30 s) and the
// connection is closed after the CONNACK [MQTT-3.2.2-5].
import type { AuthenticateError } from 'aedes';
import { clipForLog, type Logger } from '../lib/log.js';
import type { AuthenticateHandler } from './aedes-types.js';
import type { AuthFailureThrottle } from './auth-failure-throttle.js';
import { ConnectRefused, kindOfAttempt, refusedCredentials } from './authenticate.js';
import { clientAddress } from './client-address.js';
import type { BrokerMetrics } from './metrics.js';

export interface FailureThrottleDeps {
  readonly throttle: AuthFailureThrottle;
  readonly settings: { readonly maxFailuresPerAddress: number; readonly windowMs: number };
  /** Monotonic: a wall-clock step must not throttle or free every address at once. */
  readonly nowMs: () => number;
  readonly metrics: Pick<BrokerMetrics, 'authAttempts'>;
  readonly log: Logger;
}

/** The `outcome` of em_broker_auth_attempts_total for a CONNECT refused by the throttle. */
export const THROTTLED_OUTCOME = 'address-throttled';

const throttledError = (): AuthenticateError => Object.assign(new Error(`connect refused: ${THROTTLED_OUTCOME}`), { returnCode: 3 as const });

export function withAuthFailureThrottle(deps: FailureThrottleDeps, authenticate: AuthenticateHandler): AuthenticateHandler {
  const { throttle, settings, nowMs, metrics, log } = deps;
  return (client, username, password, done) => {
    const address = clientAddress(client);
    if (address === undefined) return authenticate(client, username, password, done);
    if (throttle.isThrottled(address, nowMs())) {
      // Not logged one by one: a flood would write a line per CONNECT; the metric counts them.
      metrics.authAttempts.inc({ kind: kindOfAttempt(username), outcome: THROTTLED_OUTCOME });
      return done(throttledError(), false);
    }
    authenticate(client, username, password, (error, success) => {
      if (error !== null && error.cause instanceof ConnectRefused && refusedCredentials(error.cause) && throttle.countFailure(address, nowMs())) {
        log.warn(
          { address: clipForLog(address), ...settings },
          'address throttled: too many CONNECTs with bad credentials; its CONNECTs are refused (0x03) without a lookup for windowMs (EM_BROKER_AUTH_FAILURES_PER_ADDRESS)',
        );
      }
      done(error, success);
    });
  };
}
