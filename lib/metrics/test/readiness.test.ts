import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { registerFilesystemMetrics } from '../filesystem-metrics.js';
import { createReadiness, registerReadinessMetrics } from '../readiness.js';
import { expectWritablePath } from '../readiness-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'em-readiness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readiness', () => {
  it('when every check passes, then the process is ready', async () => {
    const readiness = createReadiness([{ name: 'a', run: () => undefined }, { name: 'b', run: () => Promise.resolve() }]);
    expect(await readiness.check()).toEqual({ ready: true, checks: [{ name: 'a', ok: true }, { name: 'b', ok: true }] });
  });

  it('when a check throws or hangs, then the process is not ready and each failure says why', async () => {
    const readiness = createReadiness(
      [
        { name: 'ok', run: () => undefined },
        { name: 'broken', run: () => { throw new Error('InfluxDB unreachable'); } },
        { name: 'hung', run: () => new Promise<void>(() => undefined) },
      ],
      { timeoutMs: 50 },
    );
    const report = await readiness.check();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual([
      { name: 'ok', ok: true },
      { name: 'broken', ok: false, reason: 'InfluxDB unreachable' },
      { name: 'hung', ok: false, reason: 'no answer within 50 ms' },
    ]);
  });

  it('when Prometheus scrapes, then each check is a 0/1 sample of em_readiness_check_ok', async () => {
    const registry = new Registry();
    registerReadinessMetrics(registry, createReadiness([{ name: 'journal', run: () => undefined }, { name: 'influxdb', run: () => Promise.reject(new Error('down')) }]));
    const text = await registry.metrics();
    expect(text).toContain('em_readiness_check_ok{check="journal"} 1');
    expect(text).toContain('em_readiness_check_ok{check="influxdb"} 0');
  });

  it('when a path is missing, then it is not writable; an existing folder is', async () => {
    await expect(expectWritablePath(join(dir, 'missing'))).rejects.toThrow(/not writable: ENOENT/);
    await expect(expectWritablePath(dir)).resolves.toBeUndefined();
    await expect(expectWritablePath(dir, Number.MAX_SAFE_INTEGER)).rejects.toThrow(/bytes free/);
  });

  it('when the disk of a data path is scraped, then free and total bytes are reported; a missing path is skipped', async () => {
    const registry = new Registry();
    registerFilesystemMetrics(registry, [dir, join(dir, 'missing')]);
    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`em_filesystem_avail_bytes\\{path="${dir}"\\} \\d+`));
    expect(text).toMatch(new RegExp(`em_filesystem_size_bytes\\{path="${dir}"\\} [1-9]\\d*`));
    expect(text).not.toContain('missing');
  });
});
