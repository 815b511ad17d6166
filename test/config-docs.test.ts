// Every environment variable a process reads is named in full on the page an operator reads for
// that process, so that searching the docs for a name found in a unit file or a log finds what it
// does and its default. Names are taken from the config schemas (their `EM_…:` keys).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const variablesOf = (source: string): string[] => [...source.matchAll(/^\s+(EM_[A-Z0-9_]+):/gm)].map((match) => match[1] ?? '');

const PAGES: readonly { readonly page: string; readonly schemas: readonly string[] }[] = [
  { page: 'broker/README.md', schemas: ['broker/config.ts', 'broker/auth-config.ts'] },
  { page: 'services/write/README.md', schemas: ['services/write/config.ts'] },
  { page: 'services/read/README.md', schemas: ['services/read/config.ts'] },
  { page: 'services/alerts/README.md', schemas: ['services/alerts/config.ts'] },
  { page: 'services/auth/README.md', schemas: ['services/auth/config.ts'] },
  { page: 'device-agent/README.md', schemas: ['device-agent/agent-config.ts', 'device-agent/fleet-config.ts'] },
  { page: 'web/README.md', schemas: ['web/server/config.ts'] },
  { page: 'docs/configuration.md', schemas: ['scripts/start-platform.ts'] },
];

describe('configuration documentation', () => {
  it.each(PAGES)('$page names every variable of $schemas', ({ page, schemas }) => {
    const variables = schemas.flatMap((schema) => variablesOf(read(schema)));
    expect(variables.length).toBeGreaterThan(schemas.length); // the pattern still finds the schema's keys
    const text = read(page);
    const missing = variables.filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
    expect(missing).toEqual([]);
  });

  it('docs/configuration.md links every page above', () => {
    const index = read('docs/configuration.md');
    for (const { page } of PAGES.filter((p) => p.page !== 'docs/configuration.md')) expect(index).toContain(`(../${page})`);
  });
});
