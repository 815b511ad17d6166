// The agent's data folder, checked before LMDB opens it: LMDB reports a folder it cannot use with
// a misleading ENOENT stack, or never returns at all (/proc/…), so the agent first makes sure the
// folder is a writable directory and that no other agent holds it, and says so plainly otherwise.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../lib/config/load-config.js';
import { lockDirectory, type DirectoryLock } from '../lib/fs/directory-lock.js';

/** A configuration mistake: two processes were given one data folder. */
export class DirectoryHeldError extends ConfigError {
  override readonly name = 'DirectoryHeldError';
}

/** The data folder cannot be used: a restart will not help, so it ends the process with exit 2. */
export class DataDirError extends ConfigError {
  override readonly name = 'DataDirError';
}

/** Creates `path` if needed, checks it can be written, and takes it for this process. */
export async function openDataDir(path: string, variable: string, purpose: string): Promise<DirectoryLock> {
  const where = `${variable}=${path} (${resolve(path)})`;
  const fail = (what: string, err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataDirError(`${where}: ${what}${code === undefined ? '' : ` (${code}${explain(code)})`}`);
  };
  try {
    makeDirectory(path);
  } catch (err) {
    fail('cannot create the folder', err);
  }
  if (!statSync(path).isDirectory()) throw new DataDirError(`${where}: not a directory`);
  const probe = join(path, `.write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    fail('cannot write in the folder', err);
  }
  // Two agents on one folder would hand out the same seqs and remove each other's outbox entries
  // on PUBACK: readings lost or recorded twice without a trace. The second one must not start.
  return lockDirectory(
    path,
    purpose,
    (pid) =>
      new DirectoryHeldError(
        `data folder ${resolve(path)} is already in use by another ${purpose} (pid ${pid}). ` +
          "Two agents on one folder would reuse sequence numbers and overwrite each other's outbox: give each its own folder.",
      ),
  );
}

/**
 * mkdir -p one level at a time: Node's recursive mkdirSync never returns for a path under /proc
 * (the kernel answers ENOENT for a folder whose parent exists, and it retries forever).
 */
function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) mkdirSync(dir);
}

function explain(code: string): string {
  if (code === 'EROFS') return ': read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return ': permission denied';
  if (code === 'ENOSPC') return ': no space left';
  return '';
}
