// Late data beyond the reconciliation lookback: an agent's outbox backfilling three-day-old
// readings after an outage (the broker accepts them up to 30 days old) reaches the 1 min and 1 h
// rollups through the service's own reconciliation passes (domain/late-sweep.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorTo, HOUR_MS } from '../domain/durations.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';

const H = 'h-late';
let f: ReadFixture;
let token: string;
let startMs: number;

beforeAll(async () => {
  // Passes every 100 ms, so the sweep reaches three days back within a few seconds.
  f = await startReadFixture({ env: { EM_READ_RECONCILE_INTERVAL_MS: '100' } });
  await f.service.retentionReady();
  await f.db.addHousehold(H);
  const userId = await f.db.addUser('late-user');
  await f.db.addMembership(H, userId);
  token = await f.issuer.userToken('late-user');
});

afterAll(async () => {
  await f?.close();
});

const rolledUp = async (rollup: string): Promise<number> => {
  const series = await f.influx.query(`SELECT sum("count") FROM "${rollup}"."reading" WHERE household='${H}' AND quantity='power_w'`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
};

describe('late data older than the reconciliation lookback', () => {
  it('when readings three days old arrive, then reconciliation passes fold them into the 1 min and 1 h rollups and energy counts them', async () => {
    startMs = floorTo(Date.now() - 3 * 86_400_000, HOUR_MS) + 10 * 60_000;
    const lines: string[] = [];
    for (let i = 0; i < 180; i += 1) {
      const t = startMs + i * 10_000;
      lines.push(`reading,agent=a1,device=heater,household=${H},quantity=power_w value=500 ${t}`);
      lines.push(`reading,agent=a1,device=heater,household=${H},quantity=energy_wh value=${1000 + (500 * i * 10) / 3600} ${t}`);
    }
    await f.influx.write(lines);
    const deadline = Date.now() + 30_000;
    while ((await rolledUp('rollup_1m')) < 180 || (await rolledUp('rollup_1h')) < 180) {
      if (Date.now() > deadline) throw new Error(`rollups hold ${await rolledUp('rollup_1m')} (1 min) and ${await rolledUp('rollup_1h')} (1 h) of 180 late points`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await f.metric('em_read_rollup_repaired_hours_total')).toBeGreaterThanOrEqual(2);

    const from = new Date(floorTo(startMs, HOUR_MS)).toISOString();
    const to = new Date(floorTo(startMs, HOUR_MS) + HOUR_MS).toISOString();
    const power = (await (await fetch(`${f.baseUrl}/v1/households/${H}/power?from=${from}&to=${to}&resolution=3600`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      sources: { source: string }[];
      series: { points: { mean: number }[] }[];
    };
    expect(power.sources.map((s) => s.source)).toEqual(['rollup_1h']);
    expect(power.series[0]?.points.map((p) => p.mean)).toEqual([500]);
    const energy = (await (await fetch(`${f.baseUrl}/v1/households/${H}/energy?period=hour&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      buckets: { totalKwh: number }[];
    };
    expect(energy.buckets[0]?.totalKwh).toBeCloseTo((500 * 1790) / 3600 / 1000, 6);
  });
});
