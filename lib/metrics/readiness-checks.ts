// Building blocks for readiness checks that several processes share.
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';

/** Resolves when `url` answers `expectedStatus` (InfluxDB /ping: 204). */
export async function expectHttpStatus(url: string, expectedStatus: number, timeoutMs = 1_500): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`${url} unreachable${cause || `: ${String(error)}`}`);
  }
  await response.body?.cancel();
  if (response.status !== expectedStatus) throw new Error(`${url} answered ${response.status}, expected ${expectedStatus}`);
}

/**
 * Resolves when we may write `path` (a file or folder) and its file system has at least `minFreeBytes` left:
 * an LMDB journal whose disk is full refuses appends (and the broker then holds every PUBACK).
 */
export async function expectWritablePath(path: string, minFreeBytes = 16 * 1024 * 1024): Promise<void> {
  try {
    await access(path, constants.W_OK);
  } catch (error) {
    throw new Error(`${path} is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const stats = await statfs(path);
  const freeBytes = stats.bavail * stats.bsize;
  if (freeBytes < minFreeBytes) throw new Error(`${path}: only ${freeBytes} bytes free (need ${minFreeBytes})`);
}
