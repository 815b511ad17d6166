// Values the broker waits for with timers, and the address it listens on, checked at start.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/load-config.js';
import { loadBrokerConfig } from '../config.js';

const base = { EM_BROKER_AUTH: 'disabled' };

describe('broker timer and host settings', () => {
  it('when EM_BROKER_JOURNAL_DEPTH_POLL_MS is above what a Node timer can wait (2^31-1 ms), then loading fails naming it (a longer timer fires after 1 ms: a busy loop)', () => {
    expect(loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_DEPTH_POLL_MS: String(2 ** 31 - 1) })).toBeDefined();
    const load = (): unknown => loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_DEPTH_POLL_MS: String(2 ** 31) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/EM_BROKER_JOURNAL_DEPTH_POLL_MS.*2147483647/);
  });

  it('when EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS is unset, then a journal flush may take 30 s; above what a Node timer can wait, loading fails naming it', () => {
    expect(loadBrokerConfig(base).journalFlushTimeoutMs).toBe(30_000);
    expect(loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS: '2000' }).journalFlushTimeoutMs).toBe(2000);
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS: String(2 ** 31) })).toThrow(/EM_BROKER_JOURNAL_FLUSH_TIMEOUT_MS.*2147483647/);
  });

  it('when EM_BROKER_HOST is empty, then loading fails naming it (Node would listen on every interface)', () => {
    expect(() => loadBrokerConfig({ ...base, EM_BROKER_HOST: '' })).toThrow(/EM_BROKER_HOST/);
  });
});
