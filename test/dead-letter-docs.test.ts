// Every dead-letter reason code the code can emit is documented for operators.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFUSAL_REASONS } from '../broker/validate-container.js';
import { WRITE_DEAD_LETTER_REASONS } from '../services/write/dead-letter-reasons.js';

const doc = readFileSync(new URL('../docs/dead-letters.md', import.meta.url), 'utf8');

describe('docs/dead-letters.md', () => {
  it.each([...REFUSAL_REASONS, ...WRITE_DEAD_LETTER_REASONS])('documents reason %s', (reason) => {
    expect(doc).toContain(`| \`${reason}\` |`);
  });
});
