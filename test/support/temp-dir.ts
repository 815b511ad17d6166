// A private temp folder per test, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly path: string;
  join(...parts: string[]): string;
  remove(): void;
}

export function makeTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `em-${prefix}-`));
  return { path, join: (...parts) => join(path, ...parts), remove: () => rmSync(path, { recursive: true, force: true }) };
}
