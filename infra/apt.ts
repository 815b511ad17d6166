// Installs a Debian package when its binary is missing. Idempotent: a present binary means no apt.
import { existsSync } from 'node:fs';
import { isRoot, runCommand, runChecked } from './run-command.js';

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/**
 * Ensures `isInstalled()` holds, installing `pkg` with apt-get if not. A failed install is
 * retried once after `apt-get update` (a fresh machine has no package lists).
 */
export async function ensureAptPackage(pkg: string, isInstalled: () => boolean): Promise<void> {
  if (isInstalled()) return;
  if (!isRoot()) {
    throw new Error(`Debian package "${pkg}" is missing; run: sudo apt-get install -y ${pkg}`);
  }
  const install = ['install', '-y', '--no-install-recommends', pkg];
  const first = await runCommand('apt-get', install, { env: aptEnv, timeoutMs: 600_000 });
  if (first.code !== 0) {
    await runChecked('apt-get', ['update'], { env: aptEnv, timeoutMs: 600_000 });
    await runChecked('apt-get', install, { env: aptEnv, timeoutMs: 600_000 });
  }
  if (!isInstalled()) throw new Error(`apt-get installed "${pkg}" but its binaries are still missing`);
}

/** True when an executable exists at one of `paths`. */
export function anyExists(paths: readonly string[]): boolean {
  return paths.some((path) => existsSync(path));
}
