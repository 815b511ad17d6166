import { describe, expect, it } from 'vitest';
import { isTrustedProxyEntry } from '../domain/client-address.js';
import { addressKey, registrationKey } from '../data/login-throttle.js';

describe('login throttle keys', () => {
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
