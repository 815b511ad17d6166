// The two ways backup and restore end early, as their command lines report them (docs/operations.md).

/** Nothing was done, or nothing that counts: the platform is not running, a folder is not empty, the backup fails its checks. Exit code 2. */
export class BackupRefusedError extends Error {
  override readonly name = 'BackupRefusedError';
}

/** pg_dump, pg_restore or influxd failed; the message carries the tool's own stderr. Exit code 1. */
export class BackupToolError extends Error {
  override readonly name = 'BackupToolError';
}

/** Exit code of a backup or restore that ended with `error`. */
export function exitCodeFor(error: unknown): 1 | 2 {
  return error instanceof BackupRefusedError ? 2 : 1;
}
