import { describe, expect, it } from 'vitest';
import { throttleAddress } from '../throttle-address.js';

describe('throttleAddress', () => {
  it('when the client is IPv4, then it is its own address', () => {
    expect(throttleAddress('203.0.113.9')).toBe('203.0.113.9');
  });

  it('when the client is IPv6, then every address of its /64 is one client', () => {
    expect(throttleAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:DB8:0001:0002:0:0:0:ffff')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(throttleAddress('2001:db8:1:2:3:4:1.2.3.4')).toBe('2001:db8:1:2::/64');
  });

  it('when the address is IPv4-mapped IPv6, then it is the IPv4 address', () => {
    expect(throttleAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(throttleAddress('::ffff:cb00:7109')).toBe('203.0.113.9');
  });

  it('when the address is not an IP address, then it is kept as it is', () => {
    expect(throttleAddress('unknown')).toBe('unknown');
  });
});
