import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../http/errors.js';
import { loadAlertsConfig } from '../config.js';

describe('alerts error catalogue and configuration', () => {
  it('when an error code exists, then the README documents it with its status', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [code, status] of Object.entries(ERROR_CODES)) expect(readme, code).toMatch(new RegExp(`\`${code}\`[^\\n]*${status}`));
  });

  it('when a variable is invalid, then loading fails naming it', () => {
    expect(() => loadAlertsConfig({ EM_ALERTS_TICK_MS: '0' })).toThrow(/EM_ALERTS_TICK_MS/);
    expect(loadAlertsConfig({}).webhook.maxAttempts).toBe(10);
  });
});
