// Client addresses as the auth service uses them: which reverse proxies may name the client
// (X-Forwarded-For). What one client is for per-address throttling: lib/http/throttle-address.ts. Pure.
import { isIPv4, isIPv6 } from 'node:net';

/** Names proxy-addr (Fastify's trustProxy) understands for whole reserved ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * An entry of a trusted-proxy list: an IP address, a CIDR block, or loopback/linklocal/uniquelocal.
 * A /0 block is refused: it would trust every peer, which is what the list exists to prevent.
 */
export function isTrustedProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (bits === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= bits;
}
