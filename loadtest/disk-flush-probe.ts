// How long would a PUBACK wait for the disk, with an ideal journal? Runs the cheapest durable log
// there is — one write and one fdatasync per group, into a preallocated file, so no flush has
// filesystem metadata to commit — and reports what an append arriving at a given rate would wait
// for the first flush that starts after it. Run it on the disk meant for the broker's journal,
// alone and while the rest of the platform writes (docs/benchmarks.md, ingest spine, "Eighth look").
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../lib/cli/command-line.js';
import { OutputLocationError, prepareOutputFolder } from './lib/output-location.js';
import { summarize } from './lib/percentiles.js';

const USAGE = `npm run bench:disk-flush -- [options]
  Flushes a small write to a preallocated file again and again (fdatasync), then reports flush
  latency and how long an append arriving at --rate would wait for a flush that covers it.

  --dir DIR              where the probe's file goes (the journal's disk)     default .data
  --duration-s S         how long to flush                                     default 20
  --rate N               appends per second the wait is computed for           default 13000
  --write-bytes N        bytes written per flush (one group commit)            default 16384
  --min-interval-ms MS   least time between flush starts (0: back to back)     default 1
  -h, --help             this text`;

const cli = parseCommandLine(USAGE, {
  dir: { type: 'string', default: '.data' },
  'duration-s': { type: 'string', default: '20' },
  rate: { type: 'string', default: '13000' },
  'write-bytes': { type: 'string', default: '16384' },
  'min-interval-ms': { type: 'string', default: '1' },
});
const durationMs = cli.number('duration-s', { min: 1, max: 3600 }) * 1000;
const rate = cli.number('rate', { min: 1, max: 10_000_000 });
const writeBytes = cli.number('write-bytes', { min: 1, max: 16 << 20, integer: true });
const minIntervalMs = cli.number('min-interval-ms', { min: 0, max: 1000 });

/** Preallocated and written once, so later writes overwrite blocks already on disk. */
const FILE_BYTES = 64 << 20;

const parent = await prepareOutputFolder(cli.values.dir, '--dir').catch((error: unknown) => {
  if (!(error instanceof OutputLocationError)) throw error;
  console.error(`bench:disk-flush: ${error.message}`);
  process.exit(2);
});
const dir = mkdtempSync(join(parent, 'disk-flush-probe-'));
const fd = openSync(join(dir, 'probe.dat'), 'w+');
try {
  const zeros = Buffer.alloc(1 << 20);
  for (let at = 0; at < FILE_BYTES; at += zeros.length) writeSync(fd, zeros, 0, zeros.length, at);
  fdatasyncSync(fd);

  // A blocking loop on purpose: one flush at a time, as a group commit does, and nothing else here.
  const block = Buffer.alloc(writeBytes, 0x5a);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const starts: number[] = [];
  const ends: number[] = [];
  const until = performance.now() + durationMs;
  let at = 0;
  for (let now = performance.now(); now < until; now = performance.now()) {
    const last = starts.at(-1);
    if (last !== undefined && now - last < minIntervalMs) {
      Atomics.wait(sleeper, 0, 0, minIntervalMs - (now - last));
      continue;
    }
    writeSync(fd, block, 0, block.length, at);
    fdatasyncSync(fd);
    starts.push(now);
    ends.push(performance.now());
    at = (at + block.length) % (FILE_BYTES - block.length);
  }

  const flushMs = starts.map((start, i) => (ends[i] as number) - start);
  // Appends arrive evenly; each is durable when the first flush that starts after it ends.
  const waitMs: number[] = [];
  let next = 0;
  const stepMs = 1000 / rate;
  for (let arrival = starts[0] as number; next < starts.length; arrival += stepMs) {
    while (next < starts.length && (starts[next] as number) < arrival) next++;
    if (next < starts.length) waitMs.push((ends[next] as number) - arrival);
  }
  const flush = summarize(flushMs);
  const wait = summarize(waitMs);
  const fmt = (ms: number): string => ms.toFixed(2);
  console.log(`${flushMs.length} flushes of ${writeBytes} B in ${durationMs / 1000} s under ${dir}`);
  console.log(`flush: p50 ${fmt(flush.p50)} ms, p99 ${fmt(flush.p99)} ms, max ${fmt(flush.max)} ms`);
  console.log(`an append at ${rate}/s waits for a covering flush: p50 ${fmt(wait.p50)} ms, p99 ${fmt(wait.p99)} ms`);
} finally {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
}
