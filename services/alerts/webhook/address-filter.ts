// Which addresses a webhook may reach. A homeowner chooses the URL, so without a filter it could
// point at our own internals: a POST to http://127.0.0.1:8086/query?q=DROP+DATABASE… is InfluxDB
// 1.x executing InfluxQL. Loopback, private, link-local, carrier-grade NAT, multicast and reserved
// ranges are refused unless a deployment allows them (tests, a LAN-only install). The check runs
// on the addresses the connection really uses (a DNS lookup hook), not on a separate resolution,
// so a name that resolves differently the second time cannot slip through. What is known without
// DNS (a literal address, a localhost name: hostRefusal) is also refused when the URL is saved.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Non-public ranges, each with what it is called in a refusal's message. */
const RANGES: readonly (readonly [net: string, prefix: number, type: 'ipv4' | 'ipv6', kind: string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'a "this host" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a reserved address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['64:ff9b::', 96, 'ipv6', 'an IPv4-translation (NAT64) address'],
  ['fc00::', 7, 'ipv6', 'a private (unique local) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const blockedByKind = new Map<string, BlockList>();
for (const [net, prefix, type, kind] of RANGES) {
  const list = blockedByKind.get(kind) ?? new BlockList();
  list.addSubnet(net, prefix, type);
  blockedByKind.set(kind, list);
}

function blockedKind(address: string, type: 'ipv4' | 'ipv6'): string | undefined {
  for (const [kind, list] of blockedByKind) if (list.check(address, type)) return kind;
  return undefined;
}

/** What kind of non-public address an IP address is ("a loopback address"); undefined when public. */
function nonPublicKind(address: string): string | undefined {
  if (isIP(address) === 4) return blockedKind(address, 'ipv4');
  // IPv4-mapped (::ffff:a.b.c.d, or its hex form): the IPv4 address decides. BlockList itself
  // compares IPv4 against IPv6 rules as mapped addresses, so a ::ffff:0:0/96 rule would block all.
  const mapped = mappedIpv4(address);
  return mapped === undefined ? blockedKind(address, 'ipv6') : blockedKind(mapped, 'ipv4');
}

export function isPublicAddress(address: string): boolean {
  return isIP(address) !== 0 && nonPublicKind(address) === undefined;
}

const PUBLIC_ONLY = 'webhooks may not reach loopback, private, link-local or reserved addresses';

/** Names that always mean this machine itself (RFC 6761, 6.3), whatever DNS would say. */
const LOCALHOST_NAME = /^(?:.+\.)?localhost\.?$/i;

/**
 * Why a webhook URL may not be reached, when that is known without DNS: its host is a non-public
 * IP address (in whatever form it was written: the URL parser turns 2130706433, 0x7f.1 or
 * [::ffff:127.0.0.1] into the canonical address checked here) or a localhost name. undefined when
 * the host may be tried; a name is checked again on the addresses it resolves to when the delivery
 * connects (publicOnlyLookup). Both the API (when a URL is saved) and the delivery ask this.
 */
export function hostRefusal(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (LOCALHOST_NAME.test(host)) return `${host} always means the server itself (loopback); ${PUBLIC_ONLY}`;
  if (isIP(host) === 0) return undefined;
  const kind = nonPublicKind(host);
  return kind === undefined ? undefined : `${host} is ${kind}; ${PUBLIC_ONLY}`;
}

function mappedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted !== null) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex === null) return undefined;
  const high = parseInt(hex[1] ?? '0', 16);
  const low = parseInt(hex[2] ?? '0', 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that fails for names resolving to any non-public address. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err !== null) {
      callback(err, '');
      return;
    }
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused !== undefined) {
      callback(new BlockedAddressError(`${hostname} resolves to ${refused.address}, which webhooks may not reach`), '');
      return;
    }
    if (options.all === true) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
  });
}
