import { describe, expect, it } from 'vitest';
import { isTrustedProxyEntry, throttleAddress } from '../domain/client-address.js';
import { addressKey, registrationKey } from '../data/login-throttle.js';

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

  it('when throttle keys are built, then they use the /64', () => {
    expect(addressKey('2001:db8:1:2::7')).toBe(addressKey('2001:db8:1:2:ffff::8'));
    expect(registrationKey('2001:db8:1:2::7')).toBe('register:2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::7')).not.toBe(addressKey('2001:db8:1:2::7'));
  });
});

describe('isTrustedProxyEntry', () => {
  it.each(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '2001:db8::/128', 'loopback', 'linklocal', 'uniquelocal'])('accepts %s', (entry) => {
    expect(isTrustedProxyEntry(entry)).toBe(true);
  });

  it.each(['', 'true', '*', '0.0.0.0/0', '::/0', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', '10.0.0.0/', '10.0.0.0/x', 'proxy.example', '999.0.0.1'])('refuses %j', (entry) => {
    expect(isTrustedProxyEntry(entry)).toBe(false);
  });
});
