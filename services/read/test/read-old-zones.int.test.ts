// Energy two years back, where only the hourly rollup is kept (the 1-minute rollup keeps 52 weeks):
// a household in a half-hour-offset zone (Asia/Kolkata, +05:30) gets the same daily energy from the
// same hourly rows as one in Europe/Berlin, not 0 kWh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPeriodStart, periodStart } from '../domain/calendar-buckets.js';
import { DAY_MS, floorTo, HOUR_MS } from '../domain/durations.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';

const HOUSEHOLDS = { 'h-berlin-old': 'Europe/Berlin', 'h-kolkata-old': 'Asia/Kolkata', 'h-kathmandu-old': 'Asia/Kathmandu' } as const;
const ORIGIN = floorTo(Date.now() - 732 * DAY_MS, HOUR_MS);

let f: ReadFixture;
let token: string;

/** One rollup_1h row per hour for 6 days: a 1 kW heater's counter, read every 10 s (first at :00, last at 59:50). */
function hourlyRows(householdId: string): string[] {
  const rows: string[] = [];
  for (let h = 0; h < 6 * 24; h += 1) {
    const first = 1000 * h;
    const last = first + (1000 * 3590) / 3600;
    rows.push(`reading,agent=a1,device=heater,household=${householdId},quantity=energy_wh sum=${360 * (first + last) / 2},count=360i,min=${first},max=${last},first=${first},last=${last} ${ORIGIN + h * HOUR_MS}`);
  }
  return rows;
}

beforeAll(async () => {
  // Retention as in production: raw data 30 days, 1-minute rollups 52 weeks, hourly 520 weeks.
  f = await startReadFixture({ env: { EM_READ_RAW_RETENTION: '30d' } });
  await f.service.retentionReady();
  const userId = await f.db.addUser('old-zones-user');
  for (const [id, zone] of Object.entries(HOUSEHOLDS)) {
    await f.db.addHousehold(id);
    await f.db.pool.query('UPDATE households SET time_zone = $2 WHERE id = $1', [id, zone]);
    await f.db.addMembership(id, userId);
    const params = new URLSearchParams({ db: f.influx.database, rp: 'rollup_1h', precision: 'ms' });
    const response = await fetch(`${f.influx.url}/write?${params.toString()}`, { method: 'POST', body: hourlyRows(id).join('\n') });
    expect(response.status).toBe(204);
  }
  token = await f.issuer.userToken('old-zones-user');
});

afterAll(async () => {
  await f?.close();
});

interface EnergyBody {
  baseStepMs: number;
  approximation?: { untilMs: number; baseStepMs: number };
  buckets: { startMs: number; endMs: number; totalKwh: number }[];
}

async function dailyEnergy(householdId: keyof typeof HOUSEHOLDS): Promise<EnergyBody> {
  const zone = HOUSEHOLDS[householdId];
  const from = nextPeriodStart('day', periodStart('day', ORIGIN + DAY_MS, zone), zone);
  const to = nextPeriodStart('day', nextPeriodStart('day', nextPeriodStart('day', from, zone), zone), zone);
  const response = await fetch(`${f.baseUrl}/v1/households/${householdId}/energy?period=day&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as EnergyBody;
}

describe('energy older than the 1-minute rollup in half-hour-offset zones', () => {
  it('when the same hourly rows are read for Berlin and Kolkata, then their daily energy is non-zero and near equal; only Kolkata is marked approximate', async () => {
    const berlin = await dailyEnergy('h-berlin-old');
    const kolkata = await dailyEnergy('h-kolkata-old');
    expect(berlin.buckets).toHaveLength(3);
    expect(kolkata.buckets).toHaveLength(3);
    for (const b of berlin.buckets) expect(b.totalKwh).toBeCloseTo((b.endMs - b.startMs) / HOUR_MS, 6);
    // Each local day books the 24 UTC hours that start in it: 1 kWh each.
    for (const b of kolkata.buckets) expect(b.totalKwh).toBeCloseTo(24, 6);
    const berlinTotal = berlin.buckets.reduce((a, b) => a + b.totalKwh, 0);
    const kolkataTotal = kolkata.buckets.reduce((a, b) => a + b.totalKwh, 0);
    expect(Math.abs(berlinTotal - kolkataTotal)).toBeLessThanOrEqual(1 + 1e-6); // a DST day in Berlin is 23 or 25 h
    expect(berlin.approximation).toBeUndefined();
    expect(kolkata.baseStepMs).toBe(15 * 60_000);
    expect(kolkata.approximation).toMatchObject({ untilMs: kolkata.buckets[2]?.endMs, baseStepMs: HOUR_MS });
  });

  it('when the zone is 45 minutes off the hour (Asia/Kathmandu), then old days are not 0 kWh either', async () => {
    const kathmandu = await dailyEnergy('h-kathmandu-old');
    for (const b of kathmandu.buckets) expect(b.totalKwh).toBeCloseTo(24, 6);
  });
});
