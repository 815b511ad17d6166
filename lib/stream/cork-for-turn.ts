// Writes made in one event-loop turn leave in one writev: the stream is corked at the first write
// of the turn and uncorked on the next tick, after the turn's callbacks and promise continuations.
// A syscall (and a loopback segment) per small packet is what the broker's PUBACKs after a group
// commit and the load generator's refilled window would otherwise cost (docs/benchmarks.md,
// ingest spine, sixth and seventh looks).
import type { Writable } from 'node:stream';

function uncork(stream: Writable): void {
  stream.uncork();
}

/** Call before a write: holds the stream's writes until this turn ends (no-op if already held). */
export function corkForTurn(stream: Writable): void {
  if (stream.writableCorked > 0) return;
  stream.cork();
  process.nextTick(uncork, stream);
}
