import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HTTP_APP_ERRORS } from '../../../lib/http/framework-errors.js';
import { ERRORS } from '../errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it.each(Object.entries(ERRORS))('when a client meets `%s`, then services/auth/README.md documents it with its status', (code, { status }) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` `));
    expect(row, `README row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${status} |`);
  });

  it.each(Object.entries(HTTP_APP_ERRORS))('when lib/http answers `%s` by itself, then the catalogue lists it with status %i', (code, status) => {
    expect(ERRORS).toHaveProperty(code);
    expect(ERRORS[code as keyof typeof ERRORS].status).toBe(status);
  });
});
