// An append-only file of what agents produced: one JSON line per sealed container
// `{"h":household,"a":agent,"seq":n,"n":readings,"r":ids}`. The loss checker (loadtest/loss-check/loss-check.ts)
// compares it with what InfluxDB holds; an operator can switch it on for a live fleet.
//
// `r` identifies each reading the way InfluxDB keys its point (series: device and quantity within
// the container's agent and household; timestamp), plus its value: 4 bytes of SHA-1 per reading,
// in container order, base64 (about 6 characters a reading). With it the checker compares
// identities, so a reading lost and replaced by another in the same container is found; a count
// alone (ledgers written before `r`, which still read) cannot see that.
//
// Written synchronously right after the container is durable in the outbox. A kill -9 between
// the two would leave a container out of the ledger, so at start the fleet reconciles: every
// container still in an outbox with a seq newer than the ledger's last for that agent is recorded
// (`recordIfNew`). A power cut may tear the last line; the reader skips a torn final line.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { ReadingContainer } from '../proto/container.js';

export interface LedgerEntry {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  readonly readings: number;
  /** readingId of each reading, in container order; undefined in ledgers written before them. */
  readonly readingIds?: readonly number[];
}

/**
 * A reading's identity as a 32-bit number: what InfluxDB keys its point by within the container's
 * agent and household (device, quantity, timestamp), and its value as the write service formats it.
 */
export function readingId(deviceId: string, quantity: string, timestampMs: number, value: number): number {
  return createHash('sha1').update(`${deviceId}\u0000${quantity}\u0000${timestampMs}\u0000${String(value)}`).digest().readUInt32BE(0);
}

function encodeReadingIds(container: ReadingContainer): string {
  const bytes = Buffer.alloc(4 * container.measurements.length);
  container.measurements.forEach((m, i) => bytes.writeUInt32BE(readingId(m.deviceId, m.quantity, m.timestampMs, m.value), 4 * i));
  return bytes.toString('base64');
}

function decodeReadingIds(encoded: string, readings: number): number[] | undefined {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== 4 * readings) return undefined;
  return Array.from({ length: readings }, (_, i) => bytes.readUInt32BE(4 * i));
}

export interface ProductionLedger {
  record(container: ReadingContainer): void;
  /** Records the container unless the ledger already has its agent's seq or a newer one. */
  recordIfNew(container: ReadingContainer): void;
  close(): void;
}

export function openProductionLedger(path: string): ProductionLedger {
  const lastSeq = new Map<string, number>();
  if (existsSync(path)) for (const entry of readProductionLedger(path)) lastSeq.set(entry.agentId, Math.max(entry.seq, lastSeq.get(entry.agentId) ?? 0));
  const fd = openSync(path, 'a');
  let open = true;
  const record = (container: ReadingContainer): void => {
    const line = { h: container.householdId, a: container.agentId, seq: container.seq, n: container.measurements.length, r: encodeReadingIds(container) };
    writeSync(fd, JSON.stringify(line) + '\n');
    lastSeq.set(container.agentId, container.seq);
  };
  return {
    record,
    recordIfNew(container) {
      if (container.seq > (lastSeq.get(container.agentId) ?? 0)) record(container);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

export class LedgerFormatError extends Error {
  override readonly name = 'LedgerFormatError';
}

/** Every entry of a ledger file, in file order. A torn last line (crash mid-write) is skipped. */
export function readProductionLedger(path: string): LedgerEntry[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const entries: LedgerEntry[] = [];
  lines.forEach((line, index) => {
    if (line === '') return;
    const entry = parseLine(line);
    if (entry !== undefined) entries.push(entry);
    else if (index !== lines.length - 1) throw new LedgerFormatError(`${path}:${index + 1}: not a ledger line: ${line.slice(0, 80)}`);
  });
  return entries;
}

function parseLine(line: string): LedgerEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const { h, a, seq, n, r } = value as Record<string, unknown>;
    if (typeof h !== 'string' || typeof a !== 'string' || !Number.isSafeInteger(seq) || !Number.isSafeInteger(n)) return undefined;
    const entry = { householdId: h, agentId: a, seq: seq as number, readings: n as number };
    if (r === undefined) return entry;
    const readingIds = typeof r === 'string' ? decodeReadingIds(r, entry.readings) : undefined;
    return readingIds === undefined ? undefined : { ...entry, readingIds };
  } catch {
    return undefined;
  }
}
