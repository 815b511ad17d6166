import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(ERRORS))('when a client meets `%s`, then services/auth/README.md documents it with its status', (code, { status }) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` `));
    expect(row, `README row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${status} |`);
  });
});
