// The entries (name, size) of a tar archive: enough to know which files an
// `influxd backup -portable` shard archive holds. Reads ustar headers, with the long names of
// PAX ('x') and GNU ('L') records; other entry types are listed by their header name.
// Layout: POSIX.1-2001 pax / ustar (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html).

export type TarEntry = { name: string; size: number; type: 'file' | 'other' };

const BLOCK = 512;

const text = (block: Buffer, start: number, length: number): string => {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
};
const octal = (block: Buffer, start: number, length: number): number => Number.parseInt(text(block, start, length).trim() || '0', 8);

/** PAX extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  for (const line of data.toString('utf8').split('\n')) {
    const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) records.set(match[1], match[2]);
  }
  return records;
}

/**
 * The entries of a tar stream (e.g. a gunzip stream), read header by header: file contents are
 * skipped, not kept, so a shard archive of any size takes a few blocks of memory.
 */
export async function listTarEntries(chunks: AsyncIterable<Buffer>): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  let override: { name?: string; size?: number } = {};
  let pending = Buffer.alloc(0);
  let skip = 0; // bytes of file content (and padding) still to pass over
  let meta: { typeflag: string; size: number } | undefined; // a PAX or GNU record whose data we need
  for await (const chunk of chunks) {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (skip > 0) {
        const passed = Math.min(skip, pending.length);
        [skip, pending] = [skip - passed, pending.subarray(passed)];
        if (skip > 0) break;
      }
      if (meta !== undefined) {
        const padded = Math.ceil(meta.size / BLOCK) * BLOCK;
        if (pending.length < padded) break;
        const data = pending.subarray(0, meta.size);
        if (meta.typeflag === 'x') {
          const records = paxRecords(data);
          const paxSize = records.get('size');
          override = { name: records.get('path'), size: paxSize === undefined ? undefined : Number(paxSize) };
        } else if (meta.typeflag === 'L') {
          override = { ...override, name: text(data, 0, data.length) };
        }
        [meta, pending] = [undefined, pending.subarray(padded)];
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      if (header.every((byte) => byte === 0)) return entries; // end of archive
      pending = pending.subarray(BLOCK);
      const typeflag = String.fromCharCode(header[156] ?? 0);
      const headerSize = octal(header, 124, 12);
      if (typeflag === 'x' || typeflag === 'L' || typeflag === 'g') {
        meta = { typeflag, size: headerSize };
        continue;
      }
      // A PAX size replaces the header's (which cannot hold 8 GiB or more), data blocks included.
      const size = override.size ?? headerSize;
      const prefix = text(header, 345, 155);
      const name = override.name ?? (prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
      entries.push({ name, size, type: typeflag === '0' || typeflag === '\0' ? 'file' : 'other' });
      [override, skip] = [{}, Math.ceil(size / BLOCK) * BLOCK];
    }
  }
  return entries;
}
