import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../http/errors.js';

describe('read error catalogue', () => {
  it('when an error code exists (the service’s own or lib/http’s), then the README documents it with its status', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const [code, status] of Object.entries(ERROR_CODES)) expect(readme, code).toMatch(new RegExp(`\`${code}\`[^\\n]*\\| ${status}\\b`));
  });
});
