// Another thread holding an LMDB environment's writer lock: the store's next commit waits until
// release(), as it waits behind an fdatasync that hangs (lmdb-js settles a commit only once its sync
// returned, and commits one at a time: lib/journal/flush-time-limit.ts). For waits that the
// `flushed` of stalled-disk.ts does not hold, such as the outbox's removals, which wait on their
// commit. The environment and the store are real; the holder is a worker thread in a write
// transaction, parked until released (or for 10 s, so that a failed test cannot leave it behind).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface HeldWriter {
  /** Ends the holder's transaction (it writes nothing) and waits for the worker to exit. */
  release(): Promise<void>;
}

const MAX_HOLD_MS = 10_000;

const holder = `
const { parentPort, workerData } = require('node:worker_threads');
const { open } = require(workerData.lmdb);
const root = open({ path: workerData.path, compression: false });
root.transactionSync(() => {
  parentPort.postMessage('held');
  Atomics.wait(workerData.gate, 0, 0, workerData.maxHoldMs);
});
void root.close();
`;

/** Resolves once the worker holds the writer lock of the environment at `path`. */
export async function holdWriter(path: string): Promise<HeldWriter> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const lmdb = createRequire(import.meta.url).resolve('lmdb');
  const worker = new Worker(holder, { eval: true, workerData: { lmdb, path, gate, maxHoldMs: MAX_HOLD_MS } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    void exited.then(() => reject(new Error('the writer-holding worker exited before it held the lock')));
  });
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= (() => {
        Atomics.store(gate, 0, 1);
        Atomics.notify(gate, 0);
        return exited;
      })();
      return released;
    },
  };
}
