import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedEnergyWh } from '../../../device-agent/sources/simulated-household.js';
import { backfillRollups } from '../influx/rollup-backfill.js';
import { silentLogger } from '../../../lib/log.js';
import { createInfluxClient } from '../influx/influx-client.js';
import { createPgHouseholdCatalog } from '../catalog/pg-household-catalog.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';
import { PLAN, simulatedLines, writeInBatches } from './support/simulated-lines.js';

/** An asymmetric matcher typed as the number it stands for, so the comparison arrays stay typed. */
const near = (value: unknown): number => expect.closeTo(Number(value), 9) as number;

const H = 'h-berlin';
const OTHER = 'h-other';
const AGENT = 'agent-1';
const FROM = Date.parse('2026-03-27T23:00:00Z'); // 2026-03-28 00:00 Berlin
const TO = Date.parse('2026-03-30T22:00:00Z'); // 2026-03-31 00:00 Berlin (CEST)
const ORIGIN = FROM - 3_600_000;

let f: ReadFixture;
let token: string;

async function get(path: string, bearer = token): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${f.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text }, headers: response.headers };
}

beforeAll(async () => {
  f = await startReadFixture();
  const raw = await f.service.retentionReady();
  await f.db.addHousehold(H);
  await f.db.addHousehold(OTHER);
  await f.db.pool.query(`UPDATE households SET time_zone = 'Europe/Berlin', tariff = $2 WHERE id = $1`, [
    H,
    JSON.stringify({ kind: 'time-of-use', currency: 'EUR', defaultPricePerKwh: 0.3, bands: [{ from: '22:00', to: '06:00', pricePerKwh: 0.2 }] }),
  ]);
  await f.db.addAgent(AGENT, H);
  const userId = await f.db.addUser('user-1');
  await f.db.addMembership(H, userId);
  token = await f.issuer.userToken('user-1');
  // Every 10 s (the simulator's slot) for three local days around the spring DST change; seqs 100–109 lost.
  const lines = simulatedLines({ householdId: H, agentId: AGENT, fromMs: FROM, toMs: TO, stepMs: 10_000, originMs: ORIGIN, skipSeqs: (s) => s >= 100 && s < 110 });
  await writeInBatches((batch) => f.influx.write(batch), lines);
  const client = createInfluxClient({ url: f.influx.url, database: f.influx.database, timeoutMs: 30_000 });
  await backfillRollups(client, f.service.layout, raw, { fromMs: FROM, toMs: TO }, silentLogger());
  f.setNow(Date.parse('2026-04-02T00:00:00Z'));
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('read service history (real InfluxDB, PostgreSQL, issuer)', () => {
  it('when energy per day is asked, then each day equals the integral of the simulated power within 0.1 %', async () => {
    const { status, body } = await get(`/v1/households/${H}/energy?period=day&from=2026-03-28T00:00:00%2B01:00&to=2026-03-31T00:00:00%2B02:00`);
    expect(status).toBe(200);
    const buckets = body['buckets'] as { startMs: number; endMs: number; totalKwh: number }[];
    expect(buckets).toHaveLength(3);
    // The first day has no reading before it, so it starts counting at its first reading: compare from there.
    for (const [i, b] of buckets.entries()) {
      const expectedWh = PLAN.devices.reduce((sum, d) => sum + simulatedEnergyWh(PLAN, d.id, i === 0 ? b.startMs : b.startMs - 10_000, b.endMs - 10_000), 0);
      expect(Math.abs(b.totalKwh * 1000 - expectedWh) / expectedWh).toBeLessThan(0.001);
    }
    expect((buckets[1]?.endMs ?? 0) - (buckets[1]?.startMs ?? 0)).toBe(23 * 3_600_000);
  });

  it('when the range lies inside a day, then its bucket is cut to the range (to is exclusive) and holds only that energy', async () => {
    const { body } = await get(`/v1/households/${H}/energy?period=day&from=2026-03-28T10:00:00%2B01:00&to=2026-03-28T14:00:00%2B01:00`);
    const buckets = body['buckets'] as { start: string; startMs: number; endMs: number; totalKwh: number }[];
    expect(buckets.map((b) => [b.start, b.startMs, b.endMs])).toEqual([['2026-03-28T10:00:00+01:00', Date.parse('2026-03-28T09:00:00Z'), Date.parse('2026-03-28T13:00:00Z')]]);
    const [b] = buckets;
    const expectedWh = PLAN.devices.reduce((sum, d) => sum + simulatedEnergyWh(PLAN, d.id, (b?.startMs ?? 0) - 10_000, (b?.endMs ?? 0) - 10_000), 0);
    expect(Math.abs((b?.totalKwh ?? 0) * 1000 - expectedWh) / expectedWh).toBeLessThan(0.001);
  });

  it('when hours of the spring DST day are asked, then there are 23; the autumn day has 25', async () => {
    const spring = await get(`/v1/households/${H}/energy?period=hour&from=2026-03-29T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00`);
    expect((spring.body['buckets'] as unknown[]).length).toBe(23);
    const autumn = await get(`/v1/households/${H}/energy?period=hour&from=2026-10-25T00:00:00%2B02:00&to=2026-10-26T00:00:00%2B01:00`);
    expect((autumn.body['buckets'] as unknown[]).length).toBe(25);
    const day = await get(`/v1/households/${H}/energy?period=day&from=2026-10-25T00:00:00%2B02:00&to=2026-10-26T00:00:00%2B01:00`);
    const [b] = day.body['buckets'] as { startMs: number; endMs: number }[];
    expect((b?.endMs ?? 0) - (b?.startMs ?? 0)).toBe(25 * 3_600_000);
  });

  it('when cost is asked, then night hours are priced at the band price and the rest at the default', async () => {
    const energy = await get(`/v1/households/${H}/energy?period=hour&from=2026-03-29T20:00:00%2B02:00&to=2026-03-29T23:00:00%2B02:00`);
    const cost = await get(`/v1/households/${H}/cost?period=hour&from=2026-03-29T20:00:00%2B02:00&to=2026-03-29T23:00:00%2B02:00`);
    const kwh = (energy.body['buckets'] as { totalKwh: number }[]).map((b) => b.totalKwh);
    const eur = (cost.body['buckets'] as { cost: number }[]).map((b) => b.cost);
    expect(eur[0]).toBeCloseTo((kwh[0] ?? 0) * 0.3, 5);
    expect(eur[2]).toBeCloseTo((kwh[2] ?? 0) * 0.2, 5);
  });

  it('when energy and cost are answered, then every figure has at most six decimals (no binary-fraction noise such as 10.799999999999995)', async () => {
    const cost = await get(`/v1/households/${H}/cost?period=hour&from=2026-03-28T00:00:00%2B01:00&to=2026-03-29T00:00:00%2B01:00`);
    const buckets = cost.body['buckets'] as { totalKwh: number; cost: number; devices: Record<string, number>; deviceCosts: Record<string, number> }[];
    const figures = buckets.flatMap((b) => [b.totalKwh, b.cost, ...Object.values(b.devices), ...Object.values(b.deviceCosts)]);
    expect(figures.length).toBeGreaterThan(24 * 3);
    expect(figures.filter((n) => (String(n).split('.')[1]?.length ?? 0) > 6)).toEqual([]);
  });

  it('when power is read from rollups, then it equals the raw answer over the same range', async () => {
    const { body } = await get(`/v1/households/${H}/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z&resolution=3600`);
    expect((body['sources'] as { source: string }[]).map((s) => s.source)).toEqual(['rollup_1h']);
    const raw = await f.influx.query(
      `SELECT mean("value"), max("value") FROM "reading" WHERE household='${H}' AND quantity='power_w' AND time >= '2026-03-28T00:00:00Z' AND time < '2026-03-29T00:00:00Z' GROUP BY time(1h), device fill(none)`,
    );
    const series = body['series'] as { device: string; points: { t: number; mean: number; max: number }[] }[];
    for (const s of raw) {
      const mine = series.find((x) => x.device === s.tags['device']);
      expect(mine?.points.map((p) => [p.t, p.mean, p.max])).toEqual(s.values.map(([t, mean, max]) => [t, near(mean), max]));
    }
  });

  it('when the range crosses the rollup horizon, then rollup and raw parts join seamlessly', async () => {
    f.setNow(Date.parse('2026-03-29T12:05:30Z'));
    const { body } = await get(`/v1/households/${H}/power?from=2026-03-29T10:00:00Z&to=2026-03-29T12:05:00Z&resolution=60`);
    f.setNow(Date.parse('2026-04-02T00:00:00Z'));
    expect((body['sources'] as { source: string }[]).map((s) => s.source)).toEqual(['rollup_1m', 'raw']);
    const raw = await f.influx.query(
      `SELECT mean("value"), max("value") FROM "reading" WHERE household='${H}' AND quantity='power_w' AND time >= '2026-03-29T10:00:00Z' AND time < '2026-03-29T12:05:00Z' GROUP BY time(1m), device fill(none)`,
    );
    const series = body['series'] as { device: string; points: { t: number; mean: number; max: number }[] }[];
    for (const s of raw) {
      const mine = series.find((x) => x.device === s.tags['device']);
      expect(mine?.points).toHaveLength(125);
      expect(mine?.points.map((p) => [p.t, p.mean, p.max])).toEqual(s.values.map(([t, mean, max]) => [t, near(mean), max]));
    }
  });

  it('when completeness is asked, then the injected gap of ten containers is listed', async () => {
    const { status, body } = await get(`/v1/households/${H}/completeness?from=2026-03-28T00:00:00%2B01:00&to=2026-03-29T00:00:00%2B01:00`);
    expect(status).toBe(200);
    const [agent] = body['agents'] as { agent: string; gaps: { fromSeq: number; toSeq: number; missing: number }[]; days: { received: number; expected: number; share: number }[] }[];
    expect(agent?.gaps).toEqual([expect.objectContaining({ fromSeq: 100, toSeq: 109, missing: 10 })]);
    expect(agent?.days[0]).toMatchObject({ received: 8630, expected: 8640 });
  });

  it('when the devices are listed, then each has its last-seen time', async () => {
    const { body } = await get(`/v1/households/${H}/devices`);
    const [agent] = body['agents'] as { id: string; devices: { id: string; lastSeen: string }[] }[];
    expect(agent?.id).toBe(AGENT);
    expect(agent?.devices.map((d) => d.id).sort()).toEqual(PLAN.devices.map((d) => d.id).sort());
  });

  it('when agents were revoked, then the catalog gives the live ones and those revoked since the lookback, and the devices list only those with readings to show', async () => {
    await Promise.all(['other-live', 'other-revoked-recently', 'other-revoked-long-ago'].map((id) => f.db.addAgent(id, OTHER)));
    await f.db.pool.query(`UPDATE agents SET revoked_at = $2 WHERE id = $1`, ['other-revoked-recently', new Date('2026-04-01T00:00:00Z')]);
    await f.db.pool.query(`UPDATE agents SET revoked_at = $2 WHERE id = $1`, ['other-revoked-long-ago', new Date('2025-01-01T00:00:00Z')]);

    const catalog = createPgHouseholdCatalog(f.db.pool, silentLogger());
    const listed = await catalog.agents(OTHER, { revokedSinceMs: Date.parse('2026-03-01T00:00:00Z') });
    expect(listed).toEqual([
      { id: 'other-live', name: '', revoked: false },
      { id: 'other-revoked-recently', name: '', revoked: true },
    ]);

    // No readings in the household: the recently revoked agent has nothing to show either.
    const admin = await f.issuer.userToken('operator', { roles: ['admin'] });
    const { status, body } = await get(`/v1/households/${OTHER}/devices`, admin);
    expect(status).toBe(200);
    expect((body['agents'] as { id: string }[]).map((a) => a.id)).toEqual(['other-live']);
  });

  it('when CSV is exported, then the header and rows come streamed with the right content type', async () => {
    const response = await fetch(`${f.baseUrl}/v1/households/${H}/export.csv?from=2026-03-28T00:00:00Z&to=2026-03-28T02:00:00Z`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('time,agent,device,quantity,value,seq');
    expect(lines).toHaveLength(1 + 720 * PLAN.devices.length * 2);
  });

  it("when another household's history or stream is asked, then 403", async () => {
    expect((await get(`/v1/households/${OTHER}/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z`)).status).toBe(403);
    expect((await get(`/v1/households/${OTHER}/live`)).status).toBe(403);
    expect((await get(`/v1/households/${H}/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z`, 'not-a-token')).status).toBe(401);
  });

  it('when an admin asks for any household, then it is allowed', async () => {
    const admin = await f.issuer.userToken('operator', { roles: ['admin'] });
    expect((await get(`/v1/households/${OTHER}/devices`, admin)).status).toBe(200);
    expect((await get(`/v1/households/nope/devices`, admin)).status).toBe(404);
    // Power history asks PostgreSQL for membership only; an admin has no membership, so existence is checked.
    expect((await get(`/v1/households/${OTHER}/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z`, admin)).status).toBe(200);
    expect((await get(`/v1/households/nope/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z`, admin)).status).toBe(404);
  });

  it('when parameters are wrong, then 400 says what was wrong', async () => {
    const reversed = await get(`/v1/households/${H}/power?from=2026-03-29T00:00:00Z&to=2026-03-28T00:00:00Z`);
    expect(reversed.status).toBe(400);
    expect(reversed.body['error']).toBe('invalid-range');
    const tooFine = await get(`/v1/households/${H}/power?from=2026-03-01T00:00:00Z&to=2026-03-29T00:00:00Z&resolution=1`);
    expect(tooFine.body['error']).toBe('invalid-resolution');
    const garbage = await get(`/v1/households/${H}/power?from=yesterday&to=2026-03-28T00:00:00Z`);
    expect(garbage.status).toBe(400);
    expect(garbage.body['error']).toBe('invalid-request');
    // Past what InfluxDB's int64 nanoseconds hold: refused up front, not a 500 'overflowed duration'.
    const farFuture = await get(`/v1/households/${H}/energy?period=day&from=9999-01-01T00:00:00Z&to=9999-01-02T00:00:00Z`);
    expect([farFuture.status, farFuture.body['error']]).toEqual([400, 'invalid-request']);
    expect(farFuture.body['message']).toMatch(/^from /);
    const unknownDevice = await get(`/v1/households/${H}/devices/toaster/power?from=2026-03-28T00:00:00Z&to=2026-03-29T00:00:00Z`);
    expect(unknownDevice.status).toBe(404);
  });
});
