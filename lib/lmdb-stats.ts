// lmdb's typings declare getStats() as `{}`; this reads the fields we use, checked at run time.
import type { Database } from 'lmdb';

export interface LmdbStats {
  readonly entryCount: number;
  /** Pages in use by this database's tree times the page size. */
  readonly bytesInUse: number;
  readonly pageSize: number;
}

function numberField(stats: object, name: string): number {
  const value: unknown = (stats as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : 0;
}

export function readLmdbStats<V, K extends import('lmdb').Key>(db: Database<V, K>): LmdbStats {
  const stats = db.getStats();
  const pages =
    numberField(stats, 'treeBranchPageCount') + numberField(stats, 'treeLeafPageCount') + numberField(stats, 'overflowPages');
  const pageSize = numberField(stats, 'pageSize');
  return { entryCount: numberField(stats, 'entryCount'), bytesInUse: pages * pageSize, pageSize };
}
