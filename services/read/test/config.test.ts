import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/load-config.js';
import { DEFAULT_VALIDATION_LIMITS } from '../../../broker/validate-container.js';
import { loadReadConfig } from '../config.js';

describe('read service configuration', () => {
  it('when the membership recheck interval is not set, then it is 10 s', () => {
    expect(loadReadConfig({}).sse.membershipRecheckMs).toBe(10_000);
  });

  it('when the membership recheck interval is set within its bounds, then it is used', () => {
    expect(loadReadConfig({ EM_READ_SSE_MEMBERSHIP_RECHECK_MS: '250' }).sse.membershipRecheckMs).toBe(250);
  });

  it.each(['99', '600001', '0', '1.5', 'soon'])('when the membership recheck interval is %s, then the configuration is refused naming it', (value) => {
    expect(() => loadReadConfig({ EM_READ_SSE_MEMBERSHIP_RECHECK_MS: value })).toThrow(ConfigError);
    expect(() => loadReadConfig({ EM_READ_SSE_MEMBERSHIP_RECHECK_MS: value })).toThrow(/EM_READ_SSE_MEMBERSHIP_RECHECK_MS/);
  });

  it.each(['EM_READ_INFLUX_TIMEOUT_MS', 'EM_READ_SSE_HEARTBEAT_MS', 'EM_READ_SSE_LINGER_MS', 'EM_READ_RECONCILE_INTERVAL_MS'])(
    'when %s is above what a Node timer can wait (2^31-1 ms), then the configuration is refused naming it (a longer timer fires after 1 ms)',
    (name) => {
      expect(loadReadConfig({ [name]: String(2 ** 31 - 1) })).toBeDefined();
      expect(() => loadReadConfig({ [name]: String(2 ** 31) })).toThrow(new RegExp(`${name}.*2147483647`));
    },
  );

  it('when EM_READ_HOST is empty, then the configuration is refused (Node would listen on every interface)', () => {
    expect(() => loadReadConfig({ EM_READ_HOST: '' })).toThrow(/EM_READ_HOST/);
  });

  it('when the late window is not set, then late data is looked for as far back as the broker accepts it; INF is refused', () => {
    expect(loadReadConfig({}).reconcile.lateWindowMs).toBe(DEFAULT_VALIDATION_LIMITS.maxReadingAgeMs);
    expect(loadReadConfig({ EM_READ_RECONCILE_LATE_WINDOW: '7d' }).reconcile.lateWindowMs).toBe(7 * 86_400_000);
    expect(() => loadReadConfig({ EM_READ_RECONCILE_LATE_WINDOW: 'INF' })).toThrow(/EM_READ_RECONCILE_LATE_WINDOW/);
  });
});
