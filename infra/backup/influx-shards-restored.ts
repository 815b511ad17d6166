// When `influxd restore -portable` has really finished. The client sends each shard's archive over
// the RPC port and exits without waiting for an answer: the server unpacks it, with the shard
// disabled, after the client is gone (services/snapshotter/service.go, updateShardsLive, has no
// reply). Stopping influxd then would lose the shard. So restore waits until every TSM file of the
// backup's archives lies in the restored database's folder with its size, and every restored shard
// answers a query again (it is re-enabled after unpacking).
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { postInfluxQuery, quoteInfluxDatabaseName } from '../influx-http.js';
import { listTarEntries } from './tar-entries.js';

const portableManifestSchema = z.object({
  // null when InfluxDB held no shard (no reading had arrived yet).
  files: z.array(z.object({ database: z.string(), policy: z.string(), shardID: z.number(), fileName: z.string() })).nullish().transform((files) => files ?? []),
});

/** "db/rp" → sorted "file.tsm:bytes" of every TSM file the backup holds for it. */
type TsmFiles = Map<string, string[]>;

const POLL_MS = 200;

/** The TSM files of every shard archive that the portable backup's manifests list. */
export async function backupTsmFiles(influxBackupDir: string): Promise<TsmFiles> {
  const files: TsmFiles = new Map();
  const manifests = (await readdir(influxBackupDir)).filter((name) => name.endsWith('.manifest'));
  for (const manifestName of manifests) {
    const { files: shards } = portableManifestSchema.parse(JSON.parse(await readFile(join(influxBackupDir, manifestName), 'utf8')));
    for (const shard of shards) {
      const entries = await listTarEntries(createReadStream(join(influxBackupDir, shard.fileName)).pipe(createGunzip()));
      const key = `${shard.database}/${shard.policy}`;
      const tsm = entries.filter((entry) => entry.type === 'file' && entry.name.endsWith('.tsm'));
      files.set(key, [...(files.get(key) ?? []), ...tsm.map((entry) => `${entry.name.split('/').pop() ?? ''}:${entry.size}`)]);
    }
  }
  for (const list of files.values()) list.sort();
  return files;
}

/** The TSM files in the shard folders of `db/rp` under the server's data folder (shard ids may differ from the backup's). */
async function restoredTsmFiles(influxDataDir: string, key: string): Promise<string[]> {
  const rpDir = join(influxDataDir, ...key.split('/'));
  const shards = await readdir(rpDir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const shard of shards) {
    const names = await readdir(join(rpDir, shard)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.tsm'))) {
      const size = await stat(join(rpDir, shard, name)).then((s) => s.size, () => undefined);
      if (size !== undefined) found.push(`${name}:${size}`);
    }
  }
  return found.sort();
}

/** What `wanted` holds that `found` does not, counting repeats (shards share file names). */
function notIn(wanted: readonly string[], found: readonly string[]): string[] {
  const left = [...found];
  return wanted.filter((file) => {
    const index = left.indexOf(file);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

/** True once no shard of `db/rp` refuses a query ("shard is disabled" while it is being unpacked). */
async function shardsAnswer(url: string, key: string): Promise<boolean> {
  const [database, policy] = key.split('/') as [string, string];
  const from = `${quoteInfluxDatabaseName(database)}."${policy.replaceAll('"', '\\"')}"./.*/`;
  return postInfluxQuery(url, `SELECT * FROM ${from} LIMIT 1`, database).then(() => true, () => false);
}

/**
 * Waits until the server at `url`, whose data folder is `influxDataDir`, holds every TSM file of
 * `expected` and answers for every retention policy in it; throws after `timeoutMs` naming what is missing.
 */
export async function waitForRestoredShards(url: string, influxDataDir: string, expected: TsmFiles, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [key, files] of expected) {
    for (;;) {
      const found = await restoredTsmFiles(influxDataDir, key);
      const missing = notIn(files, found);
      if (missing.length === 0 && (await shardsAnswer(url, key))) break;
      if (Date.now() > deadline) {
        throw new Error(`InfluxDB did not finish restoring ${key} within ${timeoutMs / 1000} s: ${missing.length} of ${files.length} TSM files not in place (${missing.slice(0, 3).join(', ')})`);
      }
      await sleep(POLL_MS);
    }
  }
}
