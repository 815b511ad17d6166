import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_TIMER_MS } from '../../../lib/config/load-config.js';
import { describeConfig, loadWriteConfig } from '../config.js';
import { isInfluxRefusal, refusalReason, WRITE_DEAD_LETTER_REASONS } from '../dead-letter-reasons.js';

describe('write config', () => {
  it('has defaults for everything, and is frozen', () => {
    const config = loadWriteConfig({});
    expect(config).toMatchObject({
      // InfluxDB on this host by default, so bodies go uncompressed (EM_WRITE_GZIP=auto).
      influx: { url: 'http://127.0.0.1:8086', database: 'energymonitor', gzip: false, requestTimeoutMs: 10_000 },
      maxBatchLines: 5000,
      lingerMs: 50,
      maxRequestsInFlight: 4,
      pollIntervalMs: 20,
      metricsPort: 9102,
      journalFlushTimeoutMs: 30_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.influx)).toBe(true);
  });

  it('reads EM_WRITE_* variables', () => {
    const config = loadWriteConfig({
      EM_WRITE_INFLUX_URL: 'http://influx:8086',
      EM_WRITE_INFLUX_DB: 'em',
      EM_WRITE_INFLUX_RP: 'raw',
      EM_WRITE_JOURNAL_PATH: '/var/lib/em/journal',
      EM_WRITE_DEAD_LETTER_PATH: '/var/lib/em/dead',
      EM_WRITE_MAX_BATCH_LINES: '8000',
      EM_WRITE_LINGER_MS: '0',
      EM_WRITE_GZIP: 'false',
      EM_WRITE_MAX_REQUESTS_IN_FLIGHT: '4',
      EM_WRITE_METRICS_PORT: '0',
    });
    expect(config).toMatchObject({
      influx: { url: 'http://influx:8086', database: 'em', retentionPolicy: 'raw', gzip: false },
      journalPath: '/var/lib/em/journal',
      deadLetterPath: '/var/lib/em/dead',
      maxBatchLines: 8000,
      lingerMs: 0,
      maxRequestsInFlight: 4,
      metricsPort: 0,
    });
  });

  it.each([
    ['http://127.0.0.1:8086', false],
    ['http://127.8.9.10:8086', false],
    ['http://localhost:8086', false],
    ['http://[::1]:8086', false],
    ['http://influx:8086', true],
    ['https://10.0.0.7:8086', true],
    ['http://127.0.0.1.example.com:8086', true],
  ])('with EM_WRITE_GZIP unset (auto), %s gets gzip %s: compressed only when the bytes cross a network', (url, gzip) => {
    expect(loadWriteConfig({ EM_WRITE_INFLUX_URL: url }).influx.gzip).toBe(gzip);
    expect(loadWriteConfig({ EM_WRITE_INFLUX_URL: url, EM_WRITE_GZIP: 'auto' }).influx.gzip).toBe(gzip);
  });

  it('lets an operator choose gzip either way, whatever the host', () => {
    expect(loadWriteConfig({ EM_WRITE_INFLUX_URL: 'http://127.0.0.1:8086', EM_WRITE_GZIP: 'true' }).influx.gzip).toBe(true);
    expect(loadWriteConfig({ EM_WRITE_INFLUX_URL: 'http://influx:8086', EM_WRITE_GZIP: 'no' }).influx.gzip).toBe(false);
  });

  it('names every bad variable', () => {
    expect(() => loadWriteConfig({ EM_WRITE_INFLUX_URL: 'not a url', EM_WRITE_MAX_BATCH_LINES: '0', EM_WRITE_GZIP: 'maybe' })).toThrow(
      ConfigError,
    );
    try {
      loadWriteConfig({ EM_WRITE_INFLUX_URL: 'not a url', EM_WRITE_MAX_BATCH_LINES: '0' });
    } catch (err) {
      expect(String(err)).toContain('EM_WRITE_INFLUX_URL');
      expect(String(err)).toContain('EM_WRITE_MAX_BATCH_LINES');
    }
  });

  it.each(['ftp://127.0.0.1:8086', 'file:///var/run/influxdb.sock', 'ws://influx:8086'])(
    'when EM_WRITE_INFLUX_URL is %s, then it is refused at start, naming the variable',
    (url) => {
      expect(() => loadWriteConfig({ EM_WRITE_INFLUX_URL: url })).toThrow(/EM_WRITE_INFLUX_URL: must be an http: or https: URL/);
    },
  );

  // Node waits at most 2^31 − 1 ms and fires a longer timer after 1 ms: the consumer would poll
  // the journal in a busy loop, and every InfluxDB request would time out at once.
  it.each(['EM_WRITE_POLL_INTERVAL_MS', 'EM_WRITE_REQUEST_TIMEOUT_MS', 'EM_WRITE_LINGER_MS'])(
    'when %s is longer than a Node timer can wait, then it is refused at start, naming the variable',
    (variable) => {
      expect(() => loadWriteConfig({ [variable]: String(MAX_TIMER_MS + 1) })).toThrow(new RegExp(`${variable}: must be at most ${MAX_TIMER_MS}`));
      expect(loadWriteConfig({ [variable]: String(MAX_TIMER_MS) })).toBeDefined();
    },
  );

  it('when EM_WRITE_HOST is empty, then it is refused at start: Node would serve the metrics on every interface', () => {
    expect(() => loadWriteConfig({ EM_WRITE_HOST: '' })).toThrow(/EM_WRITE_HOST/);
  });

  it('refuses credentials inside the URL (they would be logged with it)', () => {
    expect(() => loadWriteConfig({ EM_WRITE_INFLUX_URL: 'http://admin:s3cret@influx:8086' })).toThrow(/EM_WRITE_INFLUX_USERNAME/);
  });

  it('masks credentials when describing itself for the start-up log', () => {
    const config = loadWriteConfig({
      EM_WRITE_INFLUX_USERNAME: 'u',
      EM_WRITE_INFLUX_PASSWORD: 'p4ss',
      EM_WRITE_INFLUX_TOKEN: 't0k',
    });
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('p4ss');
    expect(text).not.toContain('t0k');
    expect(text).toContain('"username":"u"');
  });
});

describe('dead-letter reasons', () => {
  it('maps refusals to reasons from the documented list', () => {
    expect([400, 413, 422].map(refusalReason)).toEqual(['influx-400', 'influx-413', 'influx-422']);
    for (const status of [400, 413, 422]) expect(WRITE_DEAD_LETTER_REASONS).toContain(refusalReason(status));
  });

  it('holds a refused line for exactly the reasons refusalReason gives', () => {
    expect(WRITE_DEAD_LETTER_REASONS.filter(isInfluxRefusal)).toEqual([400, 413, 422].map(refusalReason));
  });
});

describe('write config: the journal flush time limit', () => {
  it('when EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS is set, then journal removals and dead letters wait that long for the disk; above what a Node timer can wait, loading fails naming it', () => {
    expect(loadWriteConfig({ EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS: '5000' }).journalFlushTimeoutMs).toBe(5000);
    expect(() => loadWriteConfig({ EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS: String(MAX_TIMER_MS + 1) })).toThrow(/EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS/);
    expect(() => loadWriteConfig({ EM_WRITE_JOURNAL_FLUSH_TIMEOUT_MS: '0' })).toThrow(ConfigError);
  });
});
