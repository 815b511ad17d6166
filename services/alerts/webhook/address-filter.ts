// Which addresses a webhook may reach. A homeowner chooses the URL, so without a filter it could
// point at our own internals: a POST to http://127.0.0.1:8086/query?q=DROP+DATABASE… is InfluxDB
// 1.x executing InfluxQL. Loopback, private, link-local, carrier-grade NAT, multicast and reserved
// ranges are refused unless a deployment allows them (tests, a LAN-only install). The check runs
// on the addresses the connection really uses (a DNS lookup hook), not on a separate resolution,
// so a name that resolves differently the second time cannot slip through.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  // IPv4-mapped (::ffff:a.b.c.d, or its hex form): the IPv4 address decides. BlockList itself
  // compares IPv4 against IPv6 rules as mapped addresses, so a ::ffff:0:0/96 rule would block all.
  const mapped = mappedIpv4(address);
  return mapped === undefined ? !blocked.check(address, 'ipv6') : !blocked.check(mapped, 'ipv4');
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
