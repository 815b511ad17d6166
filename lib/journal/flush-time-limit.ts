// A time limit on waiting for the disk to confirm a flush. lmdb-js (3.5) resolves a durable write,
// and `flushed`, only once its commit's fdatasync has returned, and never rejects `flushed`:
// - a sync that hangs (a dying SD card, an NFS or virtio stall) holds the write and `flushed`
//   pending for as long as it hangs;
// - a commit that fails (a full disk) rejects its writes, but the `flushed` promise of that
//   commit is never settled (write.js resolves flush resolvers only when a commit succeeds), and
//   `close()` waits for it: a journal closed after the disk filled up never finished closing.
// Without a limit nothing answers: no PUBACK, no error, no log line. With one, what waits on the
// disk fails after `timeoutMs` with FlushTimeoutError, which its caller handles as any disk error.
//
// One timer per wait: a group commit's, not each append's.

/** Long enough for a busy SD card or a loaded disk shared with InfluxDB; far beyond a healthy fsync (ms). */
export const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;

export class FlushTimeoutError extends Error {
  override readonly name = 'FlushTimeoutError';
  readonly code = 'EM_FLUSH_TIMEOUT';

  constructor(
    /** What waited, as it appears at the start of the message ("journal append"). */
    readonly what: string,
    readonly timeoutMs: number,
    detail?: string,
  ) {
    super(`${what}: the disk did not confirm a flush within ${timeoutMs} ms${detail === undefined ? '' : ` (${detail})`}`);
  }
}

/**
 * Settles as `durable` does, or rejects with FlushTimeoutError once `timeoutMs` have passed. What
 * `durable` does later is ignored (and a later rejection is handled, not left unhandled).
 */
export function withinFlushTime<T>(durable: PromiseLike<T>, timeoutMs: number, what: string, detail?: () => string | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Not unref'd: a process with nothing else to do would otherwise end silently (Node exits 13
    // on a top-level await that never settles) instead of saying what it waited for.
    const timer = setTimeout(() => reject(new FlushTimeoutError(what, timeoutMs, detail?.())), timeoutMs);
    durable.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
