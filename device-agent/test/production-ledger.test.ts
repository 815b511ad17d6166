import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { LedgerFormatError, openProductionLedger, readingId, readProductionLedger } from '../production-ledger.js';

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
    expect(readProductionLedger(path).map(({ readingIds: _ids, ...entry }) => entry)).toEqual([
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

  it('when a container is recorded, then each reading is identified by device, quantity, timestamp and value, in a few bytes', () => {
    const path = dir.join('ids.ndjson');
    const ledger = openProductionLedger(path);
    const sealed = container('a-1', 5, 11);
    ledger.record(sealed);
    ledger.close();
    const [entry] = readProductionLedger(path);
    expect(entry?.readingIds).toEqual(sealed.measurements.map((m) => readingId(m.deviceId, m.quantity, m.timestampMs, m.value)));
    expect(new Set(entry?.readingIds).size).toBe(11);
    expect(readFileSync(path, 'utf8').length).toBeLessThan(200);
    const one = { deviceId: 'd', quantity: 'power_w', timestampMs: 1, value: 2 };
    const id = readingId(one.deviceId, one.quantity, one.timestampMs, one.value);
    expect([readingId('e', 'power_w', 1, 2), readingId('d', 'energy_wh', 1, 2), readingId('d', 'power_w', 2, 2), readingId('d', 'power_w', 1, 3)]).not.toContain(id);
  });

  it('when a ledger was written before reading identities, then its lines still read, with a count only', () => {
    const path = dir.join('old.ndjson');
    appendFileSync(path, '{"h":"h","a":"a-1","seq":1,"n":3}\n');
    expect(readProductionLedger(path)).toEqual([{ householdId: 'h', agentId: 'a-1', seq: 1, readings: 3 }]);
    appendFileSync(path, '{"h":"h","a":"a-1","seq":2,"n":3,"r":"AAAA"}\n{"h":"h","a":"a-1","seq":3,"n":1}\n');
    expect(() => readProductionLedger(path)).toThrow(LedgerFormatError);
  });
});
