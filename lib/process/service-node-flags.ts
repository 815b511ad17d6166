// V8 flags a service is started with, wherever it is started from (the start command, tests,
// benchmarks: all go through spawn-service.ts). Run by hand, pass the same in NODE_OPTIONS.

/**
 * The write service makes short-lived garbage for every point (decoded measurements, line
 * strings, request bodies); with V8's default young generation a scavenge ran every few
 * milliseconds and promoted what a larger one would have let die. 32 MB semi-spaces cut its CPU
 * per point by about a fifth while draining a journal (`npm run perftest -- --mode write-only`,
 * three interleaved pairs: 3.3–3.4 against 4.0–4.1 µs; docs/benchmarks.md). The cost is up to
 * ~100 MB more heap under load; the young generation shrinks again when idle.
 */
const WRITE_SERVICE = ['--max-semi-space-size=32'];

const BY_ENTRY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'services/write/main.ts': WRITE_SERVICE,
});

/** The flags for the service whose entry file (relative to the repository root) is `entry`. */
export function serviceNodeFlags(entry: string): readonly string[] {
  return BY_ENTRY[entry] ?? [];
}
