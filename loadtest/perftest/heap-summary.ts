// Self size by constructor in a V8 heap snapshot, biggest first: how the connection storm's
// per-connection cost was broken down (docs/benchmarks.md). Take a snapshot of a broker started with
// --broker-node-options="--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/x" (kill -USR2 <pid>
// during the settle period), then: npx tsx loadtest/perftest/heap-summary.ts FILE.heapsnapshot [rows]
import { readFileSync } from 'node:fs';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[]; readonly node_types: readonly [readonly string[], ...unknown[]] } };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
}

export interface HeapRow {
  readonly name: string;
  readonly count: number;
  readonly bytes: number;
}

/** Groups nodes by constructor (objects, closures, natives) or by V8 type (strings, code, arrays…). */
export function summarizeSnapshot(snap: Snapshot): { totalBytes: number; rows: HeapRow[] } {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const rows = new Map<string, { count: number; bytes: number }>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]!] ?? '?';
    const name = snap.strings[snap.nodes[i + iName]!] ?? '?';
    const key = type === 'object' || type === 'native' ? name : type === 'closure' ? `closure ${name}` : `(${type})`;
    const bytes = snap.nodes[i + iSize]!;
    totalBytes += bytes;
    const row = rows.get(key) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += bytes;
    rows.set(key, row);
  }
  return { totalBytes, rows: [...rows].map(([name, r]) => ({ name, ...r })).sort((a, b) => b.bytes - a.bytes) };
}

if (process.argv[1]?.endsWith('heap-summary.ts')) {
  const [file, top = '40'] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: npx tsx loadtest/perftest/heap-summary.ts FILE.heapsnapshot [rows]');
    process.exit(2);
  }
  const { totalBytes, rows } = summarizeSnapshot(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  console.log(`total ${(totalBytes / 1024 / 1024).toFixed(1)} MB`);
  for (const row of rows.slice(0, Number(top))) console.log(`${String(row.count).padStart(9)} ${(row.bytes / 1024).toFixed(0).padStart(9)} KB  ${row.name.slice(0, 80)}`);
}
