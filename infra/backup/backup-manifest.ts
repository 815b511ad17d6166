// manifest.json of a backup folder: when it was taken, by which versions, and every file with what
// it is, its size and its SHA-256, so that restore refuses a damaged, truncated or incomplete copy
// before it touches anything. Checksums catch corruption (a disk, a copy, a transfer), not an
// attacker: whoever can rewrite a file can rewrite the manifest too.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';

const fileSchema = z.object({
  /** Relative to the backup folder, with `/`. */
  path: z.string().min(1),
  part: z.enum(['postgres', 'influxdb']),
  what: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const manifestSchema = z.object({
  format: z.literal('energymonitor-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  sourceDataDir: z.string(),
  versions: z.object({ energymonitor: z.string(), postgresServer: z.string(), pgDump: z.string(), influxdb: z.string() }),
  /** The auth database, dumped by pg_dump in custom format to `dump`. */
  postgres: z.object({ database: z.string(), dump: z.string() }),
  /** The folder `influxd backup -portable` wrote. */
  influxdb: z.object({ folder: z.string() }),
  files: z.array(fileSchema),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type BackupFile = z.infer<typeof fileSchema>;

/** SHA-256 of a file, streamed (a dump or a shard can be larger than memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every regular file under `dir`, relative to `root`, with `/` separators, sorted. */
export async function listFiles(root: string, dir: string = root): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(root, path)));
    else found.push(relative(root, path).split('\\').join('/'));
  }
  return found.sort();
}

export async function describeFile(root: string, path: string, part: BackupFile['part'], what: string): Promise<BackupFile> {
  const absolute = join(root, path);
  return { path, part, what, bytes: (await stat(absolute)).size, sha256: await sha256File(absolute) };
}

export async function writeManifest(root: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(root, MANIFEST_FILE), `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`, { mode: 0o600 });
}

export type BackupCheck = { manifest: BackupManifest; problems: readonly string[] } | { manifest: undefined; problems: readonly string[] };

/**
 * Reads the manifest of the backup in `root` and checks every file against it: present, same size,
 * same SHA-256, and no file it does not list (influxd restore would read a stray shard too).
 * Reads every byte once; changes nothing.
 */
export async function checkBackup(root: string): Promise<BackupCheck> {
  const text = await readFile(join(root, MANIFEST_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => err);
  if (text instanceof Error) return { manifest: undefined, problems: [`cannot read ${join(root, MANIFEST_FILE)}: ${text.code ?? text.message}`] };
  let parsed;
  try {
    parsed = manifestSchema.safeParse(JSON.parse(text));
  } catch {
    return { manifest: undefined, problems: [`${MANIFEST_FILE} is not JSON`] };
  }
  if (!parsed.success) return { manifest: undefined, problems: [`${MANIFEST_FILE} is not an Energymonitor backup manifest: ${parsed.error.issues[0]?.message ?? ''}`] };
  const manifest = parsed.data;
  const problems: string[] = [];
  for (const file of manifest.files) problems.push(...(await fileProblems(root, file)));
  const listed = new Set([MANIFEST_FILE, ...manifest.files.map((file) => file.path)]);
  for (const path of await listFiles(root)) if (!listed.has(path)) problems.push(`${path} is not in the manifest`);
  if (!manifest.files.some((file) => file.path === manifest.postgres.dump)) problems.push(`the manifest lists no PostgreSQL dump ${manifest.postgres.dump}`);
  return { manifest, problems };
}

async function fileProblems(root: string, file: BackupFile): Promise<string[]> {
  // Only paths inside the backup: a manifest must not make restore read (or hash) anything else.
  if (isAbsolute(file.path) || normalize(file.path).startsWith('..')) return [`${file.path}: not a path inside the backup`];
  const absolute = join(root, file.path);
  const size = await stat(absolute).then((s) => s.size, () => undefined);
  if (size === undefined) return [`${file.path} is missing`];
  if (size !== file.bytes) return [`${file.path} has ${size} bytes, the manifest says ${file.bytes}`];
  if ((await sha256File(absolute)) !== file.sha256) return [`${file.path} does not match its SHA-256 in the manifest (changed or damaged)`];
  return [];
}
