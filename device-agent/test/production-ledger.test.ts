import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { LedgerFormatError, openProductionLedger, readProductionLedger } from '../production-ledger.js';

const container = (agentId: string, seq: number, readings: number) => ({
  householdId: `h "${agentId}"`,
  agentId,
  seq,
  createdAtMs: 0,
  measurements: Array.from({ length: readings }, (_, i) => ({ deviceId: `d${i}`, quantity: 'power_w' as const, value: i, timestampMs: seq })),
});

describe('production ledger', () => {
  const dir = makeTempDir('ledger');
  afterAll(() => dir.remove());

  it('when containers are recorded, then they read back in order, also after reopening', () => {
    const path = dir.join('a.ndjson');
    const ledger = openProductionLedger(path);
    ledger.record(container('a-1', 1, 11));
    ledger.record(container('a-2', 1, 3));
    ledger.close();
    const again = openProductionLedger(path);
    again.record(container('a-1', 2, 11));
    again.close();
    expect(readProductionLedger(path)).toEqual([
      { householdId: 'h "a-1"', agentId: 'a-1', seq: 1, readings: 11 },
      { householdId: 'h "a-2"', agentId: 'a-2', seq: 1, readings: 3 },
      { householdId: 'h "a-1"', agentId: 'a-1', seq: 2, readings: 11 },
    ]);
  });

  it('when the last line is torn by a crash, then it is skipped; a bad line in the middle is an error', () => {
    const path = dir.join('torn.ndjson');
    const ledger = openProductionLedger(path);
    ledger.record(container('a-1', 1, 2));
    ledger.close();
    appendFileSync(path, '{"h":"x","a":"a-1","se');
    expect(readProductionLedger(path)).toHaveLength(1);
    appendFileSync(path, '\n{"h":"x","a":"a-1","seq":3,"n":1}\n');
    expect(() => readProductionLedger(path)).toThrow(LedgerFormatError);
    expect(readFileSync(path, 'utf8')).toContain('"seq":3');
  });

  it('when reopened, then recordIfNew skips what the ledger already has and records newer seqs', () => {
    const path = dir.join('reconcile.ndjson');
    const ledger = openProductionLedger(path);
    ledger.record(container('a-1', 1, 2));
    ledger.record(container('a-1', 2, 2));
    ledger.close();
    const again = openProductionLedger(path);
    again.recordIfNew(container('a-1', 2, 2));
    again.recordIfNew(container('a-1', 3, 2));
    again.recordIfNew(container('a-2', 1, 2));
    again.close();
    expect(readProductionLedger(path).map((e) => `${e.agentId}:${e.seq}`)).toEqual(['a-1:1', 'a-1:2', 'a-1:3', 'a-2:1']);
  });
});
