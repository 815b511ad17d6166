// Failed CONNECT authentications per client address, so that an address which keeps presenting bad
// credentials is refused before its next one costs a directory lookup (a PostgreSQL query from the
// broker's small pool, which legitimate agents' CONNECTs wait behind). Pure: the caller says the time.
//
// One client is what the auth service's login throttle calls one (lib/http/throttle-address.ts): an IPv4 address,
// an IPv6 host's whole /64, an IPv4-mapped IPv6 address as its IPv4 address.
//
// Windows are fixed, per address: one starts at the address's first failure. Its
// `maxFailuresPerAddress`-th failure within it throttles the address for one window from that
// failure; then it is forgotten and its count starts again. So an address costs about that many
// lookups per window, plus the CONNECTs it has being checked at the moment: those all passed the
// check before their failures were counted (failures ending during the throttling count for nothing).
// address-lookup-gate.ts keeps those to a few per address.
// Refusals by the throttle are not failures, so an address that stops failing is free one window
// after it was throttled. A neighbour behind the same carrier-grade NAT as a flood is refused while
// the flood goes on (each window lets `maxFailuresPerAddress` of the flood's CONNECTs through, which
// throttle the address again at once): the price of counting per address; auth-config.ts says why the
// default is far above what misconfigured agents reach.
// In memory only, per process: a restarted broker starts every count again.
//
// Memory: at most `maxTrackedAddresses` entries (default 65,536; 110 bytes an IPv4 address, 140 an
// IPv6 /64, measured: at most 9 MB), the
// longest-tracked forgotten first. Every entry ends one window after the time it holds, and an entry
// is moved to the end whenever that time changes, so the map is in order of ending: each call drops
// the ended entries at its head.
import { throttleAddress } from '../lib/http/throttle-address.js';

export const DEFAULT_MAX_TRACKED_ADDRESSES = 1 << 16;

export interface AuthFailureThrottleSettings {
  /** Failures an address may have per window; 0 disables the throttle. */
  readonly maxFailuresPerAddress: number;
  readonly windowMs: number;
  readonly maxTrackedAddresses?: number;
}

export interface AuthFailureThrottle {
  /** Whether CONNECTs from `address` are refused now, before their credentials are checked. */
  isThrottled(address: string, nowMs: number): boolean;
  /** Counts a CONNECT from `address` refused for its credentials; true when it starts the address's throttling. */
  countFailure(address: string, nowMs: number): boolean;
  /** Addresses kept in memory. */
  trackedAddresses(): number;
}

interface AddressFailures {
  /** The window's start: the first failure, or the failure that started the throttling. */
  sinceMs: number;
  failures: number;
  throttled: boolean;
}

export function createAuthFailureThrottle(settings: AuthFailureThrottleSettings): AuthFailureThrottle {
  const { maxFailuresPerAddress: max, windowMs } = settings;
  if (max === 0) return { isThrottled: () => false, countFailure: () => false, trackedAddresses: () => 0 };
  const maxTracked = settings.maxTrackedAddresses ?? DEFAULT_MAX_TRACKED_ADDRESSES;
  const addresses = new Map<string, AddressFailures>();
  const ended = (entry: AddressFailures, nowMs: number): boolean => nowMs >= entry.sinceMs + windowMs;

  function sweep(nowMs: number): void {
    for (const [key, entry] of addresses) {
      if (!ended(entry, nowMs)) return;
      addresses.delete(key);
    }
  }

  /** (Re)inserted last, keeping the map in order of ending. */
  function restart(key: string, entry: AddressFailures): AddressFailures {
    addresses.delete(key);
    if (addresses.size >= maxTracked) addresses.delete(addresses.keys().next().value as string);
    addresses.set(key, entry);
    return entry;
  }

  return {
    isThrottled(address, nowMs) {
      sweep(nowMs);
      const entry = addresses.get(throttleAddress(address));
      return entry !== undefined && entry.throttled && !ended(entry, nowMs);
    },
    countFailure(address, nowMs) {
      sweep(nowMs);
      const key = throttleAddress(address);
      const known = addresses.get(key);
      if (known?.throttled === true && !ended(known, nowMs)) return false;
      const entry = known === undefined || ended(known, nowMs) ? restart(key, { sinceMs: nowMs, failures: 0, throttled: false }) : known;
      entry.failures++;
      if (entry.failures < max) return false;
      restart(key, { sinceMs: nowMs, failures: entry.failures, throttled: true });
      return true;
    },
    trackedAddresses: () => addresses.size,
  };
}
