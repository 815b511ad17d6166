import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hostRefusal, isPublicAddress } from '../webhook/address-filter.js';
import { deliverWebhook } from '../webhook/deliver.js';

const request = { secret: 'k'.repeat(16), eventId: 'e', body: '{}', nowMs: Date.now(), timeoutMs: 1_000, allowPrivate: false };

describe('webhook address filter', () => {
  it('when an address is loopback, private, link-local or reserved, then it is not public', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('when a URL names a non-public address literally, in any form the URL parser reads, or a localhost name, then it is refused saying why', () => {
    const refused: [url: string, why: string][] = [
      ['http://127.0.0.1:8086/query?q=DROP+DATABASE+x', '127.0.0.1 is a loopback address'],
      ['http://2130706433/', '127.0.0.1 is a loopback address'],
      ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
      ['http://127.1/', '127.0.0.1 is a loopback address'],
      ['http://[::1]:9/', '::1 is a loopback address'],
      ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
      ['http://[0:0:0:0:0:ffff:7f00:1]/', '::ffff:7f00:1 is a loopback address'],
      ['https://10.0.0.1/hook', '10.0.0.1 is a private address'],
      ['https://192.168.1.10/hook', '192.168.1.10 is a private address'],
      ['http://[fd00::1]/', 'fd00::1 is a private'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
      ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
      ['http://100.64.0.1/', 'carrier-grade NAT'],
      ['http://0/', '0.0.0.0 is'],
      ['http://224.0.0.1/', 'multicast'],
      ['http://localhost:9/', 'localhost'],
      ['http://LOCALHOST./', 'localhost.'],
      ['http://api.localhost/', 'api.localhost'],
    ];
    for (const [url, why] of refused) expect(hostRefusal(new URL(url)), url).toContain(why);
    for (const url of ['https://example.org/hook', 'http://8.8.8.8/', 'http://[2606:4700::1111]/', 'http://[::ffff:8.8.8.8]/', 'https://localhost.example.org/', 'http://mylocalhost/']) {
      expect(hostRefusal(new URL(url)), url).toBeUndefined();
    }
  });

  it('when private addresses are not allowed, then a webhook to one is refused before connecting', async () => {
    expect(await deliverWebhook({ ...request, url: 'http://127.0.0.1:8086/query?q=DROP+DATABASE+x' })).toMatchObject({ ok: false, permanent: true });
    expect(await deliverWebhook({ ...request, url: 'http://[::1]:9/' })).toMatchObject({ ok: false, permanent: true });
    // A localhost name is refused for good without asking DNS (a *.localhost name used to fail as
    // "not found", retried as if it might come back).
    for (const url of ['http://localhost:9/', 'http://api.localhost:9/']) {
      expect(await deliverWebhook({ ...request, url }), url).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('localhost') as string });
    }
  });

  it('when a name resolves to a non-public address, then the delivery refuses it on connecting', async (ctx) => {
    // This machine's own name resolves without network DNS (/etc/hosts), usually to loopback or a
    // container's private address: the connect-time check is the one that sees it.
    const name = hostname();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (addresses.length === 0 || addresses.every((a) => isPublicAddress(a.address))) ctx.skip();
    expect(hostRefusal(new URL(`http://${name}:9/`))).toBeUndefined();
    expect(await deliverWebhook({ ...request, url: `http://${name}:9/` })).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('webhooks may not reach') as string });
  });
});
