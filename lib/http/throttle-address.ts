// What one client is for per-address limits: the auth service's login and registration throttles
// and the broker's failed-CONNECT throttle count by it, so both draw the line in the same place. Pure.
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted quad split). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * What counts as one client for per-address limits. An IPv6 host is usually given a whole /64 and
 * picks addresses in it at will (RFC 4941 privacy addresses), so it is keyed by its /64 block;
 * an IPv4-mapped IPv6 address is its IPv4 address. Anything else is returned unchanged.
 */
export function throttleAddress(address: string): string {
  const plain = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a host
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return address;
  const groups = ipv6Groups(plain);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) {
    return [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
