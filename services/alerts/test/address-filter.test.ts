import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../webhook/address-filter.js';
import { deliverWebhook } from '../webhook/deliver.js';

describe('webhook address filter', () => {
  it('when an address is loopback, private, link-local or reserved, then it is not public', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('when private addresses are not allowed, then a webhook to one is refused before connecting', async () => {
    const request = { secret: 'k'.repeat(16), eventId: 'e', body: '{}', nowMs: Date.now(), timeoutMs: 1_000, allowPrivate: false };
    expect(await deliverWebhook({ ...request, url: 'http://127.0.0.1:8086/query?q=DROP+DATABASE+x' })).toMatchObject({ ok: false, permanent: true });
    expect(await deliverWebhook({ ...request, url: 'http://[::1]:9/' })).toMatchObject({ ok: false, permanent: true });
    const named = await deliverWebhook({ ...request, url: 'http://localhost:9/' });
    expect(named).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('may not reach') as string });
  });
});
