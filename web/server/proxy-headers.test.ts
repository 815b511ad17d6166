import { describe, expect, it } from 'vitest';
import { upstreamRequestHeaders } from './proxy-headers.js';

describe('upstreamRequestHeaders', () => {
  it('when a request carries per-hop headers, then none of them goes upstream and the end-to-end ones do', () => {
    const headers = {
      expect: '100-continue',
      connection: 'keep-alive',
      'proxy-connection': 'keep-alive',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      trailer: 'x-checksum',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      'content-type': 'application/json',
      'content-length': '42',
      authorization: 'Bearer abc',
      'last-event-id': '7',
    };
    expect(upstreamRequestHeaders(headers, '192.0.2.1')).toEqual({
      'content-type': 'application/json',
      'content-length': '42',
      authorization: 'Bearer abc',
      'last-event-id': '7',
      'x-forwarded-for': '192.0.2.1',
    });
  });

  it('when the browser sends X-Forwarded-For, then it is replaced by the address we see', () => {
    expect(upstreamRequestHeaders({ 'x-forwarded-for': '10.0.0.1, 10.0.0.2' }, '192.0.2.1')).toEqual({ 'x-forwarded-for': '192.0.2.1' });
  });
});
