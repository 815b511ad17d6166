// An append-only file of what agents produced: one JSON line per sealed container
// `{"h":household,"a":agent,"seq":n,"n":readings}`. The loss checker (loadtest/loss-check.ts)
// compares it with what InfluxDB holds; an operator can switch it on for a live fleet.
//
// Written synchronously right after the container is durable in the outbox. A kill -9 between
// the two can leave a container out of the ledger (reported as "unexpected", never as lost), and
// a power cut may cut the last line (the reader skips a torn final line).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { ReadingContainer } from '../proto/container.js';

export interface LedgerEntry {
  readonly householdId: string;
  readonly agentId: string;
  readonly seq: number;
  readonly readings: number;
}

export interface ProductionLedger {
  record(container: ReadingContainer): void;
  close(): void;
}

export function openProductionLedger(path: string): ProductionLedger {
  const fd = openSync(path, 'a');
  let open = true;
  return {
    record(container) {
      const line = { h: container.householdId, a: container.agentId, seq: container.seq, n: container.measurements.length };
      writeSync(fd, JSON.stringify(line) + '\n');
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
    const { h, a, seq, n } = value as Record<string, unknown>;
    if (typeof h !== 'string' || typeof a !== 'string' || !Number.isSafeInteger(seq) || !Number.isSafeInteger(n)) return undefined;
    return { householdId: h, agentId: a, seq: seq as number, readings: n as number };
  } catch {
    return undefined;
  }
}
