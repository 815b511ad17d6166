// listTarEntries against archives GNU tar writes (ustar, GNU long names, PAX), streamed in small chunks.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { listTarEntries } from '../tar-entries.js';

const dir = makeTempDir('tar-entries');
afterAll(() => dir.remove());

const longName = `${'d'.repeat(60)}/${'f'.repeat(80)}.tsm`;

function archive(format: 'ustar' | 'gnu' | 'pax'): string {
  const src = dir.join(`src-${format}`);
  mkdirSync(src, { recursive: true });
  mkdirSync(dir.join(`src-${format}`, 'db', 'autogen', '1'), { recursive: true });
  writeFileSync(dir.join(`src-${format}`, 'db', 'autogen', '1', '000000001-000000001.tsm'), Buffer.alloc(1_000, 7));
  writeFileSync(dir.join(`src-${format}`, 'db', 'autogen', '1', 'empty.tsm'), '');
  const files = ['db/autogen/1/000000001-000000001.tsm', 'db/autogen/1/empty.tsm'];
  if (format !== 'ustar') {
    mkdirSync(dir.join(`src-${format}`, 'd'.repeat(60)), { recursive: true });
    writeFileSync(dir.join(`src-${format}`, longName), Buffer.alloc(513, 1));
    files.push(longName);
  }
  const out = dir.join(`${format}.tar.gz`);
  execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', src, ...files]);
  return out;
}

const entries = (path: string) => listTarEntries(createReadStream(path, { highWaterMark: 100 }).pipe(createGunzip({ chunkSize: 97 })));

describe('listTarEntries', () => {
  it('when a ustar archive is read in small chunks, then it lists each file with its size', async () => {
    expect(await entries(archive('ustar'))).toEqual([
      { name: 'db/autogen/1/000000001-000000001.tsm', size: 1_000, type: 'file' },
      { name: 'db/autogen/1/empty.tsm', size: 0, type: 'file' },
    ]);
  });

  it.each(['gnu', 'pax'] as const)('when a %s archive holds a name longer than 100 characters, then the whole name is listed', async (format) => {
    const listed = await entries(archive(format));
    expect(listed.map((entry) => [entry.name, entry.size])).toEqual([
      ['db/autogen/1/000000001-000000001.tsm', 1_000],
      ['db/autogen/1/empty.tsm', 0],
      [longName, 513],
    ]);
  });
});
