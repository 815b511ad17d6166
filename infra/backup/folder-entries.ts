// What a folder the backup or restore is about to fill holds already: both go only into a new or
// empty folder, never over something.
import { readdir, stat } from 'node:fs/promises';
import { BackupRefusedError } from './backup-errors.js';

/** The entries of `dir`, none when it does not exist; refused when it is a file or unreadable. */
export async function entriesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : err));
  if (!(entries instanceof Error)) return entries;
  const isFile = await stat(dir).then((s) => !s.isDirectory(), () => false);
  throw new BackupRefusedError(isFile ? `${dir} exists and is not a folder` : `cannot read ${dir}: ${entries.message}`);
}
