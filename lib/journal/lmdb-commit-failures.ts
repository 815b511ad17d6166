// lmdb-js (3.5) leaves two promises of every failed commit without a handler (kriszyp/lmdb-js#368):
// the `commitError` it stamps on each rejected write's error, rejected with the real cause (ENOSPC,
// EIO, EFBIG…), and, when the commit's writes started an event-turn batch, the batch's own
// commit promise, which nothing outside lmdb-js can reach. Every write of the failed commit is
// still rejected to its caller, who handles it (the broker: no PUBACK, the connection closes).
// Under Node's default (--unhandled-rejections=throw) either orphan ended the process: a full disk
// stopped the broker, and every client with it, instead of refusing readings until space came back
// (docs/guarantees.md, "disk full"). LMDB itself recovers: the next commit that fits succeeds.
//
// So every process that writes LMDB takes these two rejections as handled, and only these: any
// other unhandled rejection still ends the process as Node's default does.

const COMMIT_FAILED = 'Commit failed (see commitError for details)';

/** The error lmdb-js rejects each write of a failed commit with. */
function isCommitFailure(reason: unknown): reason is Error & { readonly commitError: Promise<unknown> } {
  return reason instanceof Error && reason.message === COMMIT_FAILED && 'commitError' in reason && reason.commitError instanceof Promise;
}

/** lmdb-js's commitError promise: the only promise it gives an own `reject` function. */
function isCommitErrorPromise(promise: Promise<unknown>): boolean {
  return Object.hasOwn(promise, 'reject') && typeof Reflect.get(promise, 'reject') === 'function';
}

let guarded = false;

/** Takes lmdb-js's orphaned commit-failure rejections as handled, once per process. */
export function guardLmdbCommitFailures(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason, promise) => {
    if (isCommitFailure(reason)) {
      // The cause is rejected after this error, and would be reported next: it is handled here.
      reason.commitError.catch(() => undefined);
      return;
    }
    if (isCommitErrorPromise(promise)) return;
    // With a listener Node no longer ends the process by itself: do what it does without one,
    // unless another listener in the process has a policy of its own.
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  });
}
