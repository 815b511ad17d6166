// The servers' folders. Each server's own folder is private (0700). A folder we must create above
// it (a fresh `.data`, a new --data-dir) is 0711: another OS user may pass through to a folder of
// its own below — PostgreSQL drops root and runs as `postgres` — but cannot list it. Modes are set
// explicitly, whatever the umask; folders that already exist keep theirs (postgres-folder.ts says
// which one to chmod when PostgreSQL cannot pass).
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PASS_THROUGH_FOLDER_MODE = 0o711;

/** Creates `dir` (0700) and its missing parents (0711); a no-op for folders that exist. */
export async function makePrivateFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let path = resolve(dir); !(await exists(path)); path = dirname(path)) missing.unshift(path);
  for (const [index, path] of missing.entries()) {
    const mode = index === missing.length - 1 ? PRIVATE_FOLDER_MODE : PASS_THROUGH_FOLDER_MODE;
    // Another start may create the same parent at the same moment (InfluxDB and PostgreSQL start together).
    if (await createFolder(path, mode)) await chmod(path, mode);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function createFolder(path: string, mode: number): Promise<boolean> {
  try {
    await mkdir(path, { mode });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
