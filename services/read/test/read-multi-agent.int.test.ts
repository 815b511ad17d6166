// The same device id from two agents of one household (the demo household's agents all have a
// "fridge"): two series, summed for power, differenced per series for energy — from raw data and
// from the rollups (filled by the continuous queries' own SELECT … INTO, rollup-layout.ts). With
// `split=agent` the power answer keeps the series apart, each naming its agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createInfluxClient } from '../influx/influx-client.js';
import { backfillRollups } from '../influx/rollup-backfill.js';
import { startReadFixture, type ReadFixture } from './support/read-fixture.js';
import { writeInBatches } from './support/simulated-lines.js';

const H = 'h-two-agents';
const T0 = Date.parse('2026-03-10T00:00:00Z');
const T_END = T0 + 2 * 3_600_000;
/** Agent 2 resets its oven counter to 0 at this reading (1 h 30 min 5 s in). */
const RESET = T0 + 5_405_000;
const S = 1000;

let f: ReadFixture;
let token: string;

/** Every 10 s: agent 1 "oven" 1000 W and "fridge" 100 W at :00, agent 2 "oven" 200 W at :05. */
function lines(): string[] {
  const out: string[] = [];
  const point = (agent: string, device: string, quantity: string, value: number, t: number): string =>
    `reading,agent=${agent},device=${device},household=${H},quantity=${quantity} value=${value} ${t}`;
  for (let t = T0; t < T_END; t += 10 * S) {
    const hours = (x: number): number => (x - T0) / 3_600_000;
    out.push(point('a1', 'oven', 'power_w', 1000, t), point('a1', 'oven', 'energy_wh', 50_000 + 1000 * hours(t), t));
    out.push(point('a1', 'fridge', 'power_w', 100, t), point('a1', 'fridge', 'energy_wh', 7_000 + 100 * hours(t), t));
    const t2 = t + 5 * S;
    const counter2 = t2 < RESET ? 10 + 200 * hours(t2) : 200 * ((t2 - RESET) / 3_600_000);
    out.push(point('a2', 'oven', 'power_w', 200, t2), point('a2', 'oven', 'energy_wh', counter2, t2));
  }
  return out;
}

async function get(path: string, status = 200): Promise<Record<string, unknown>> {
  const response = await fetch(`${f.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(status);
  return (await response.json()) as Record<string, unknown>;
}

interface PowerBody {
  sources: { source: string }[];
  series: { device: string; agent?: string; points: { t: number; mean: number; max: number }[] }[];
  total: { t: number; mean: number }[];
}

const power = async (query: string, device?: string): Promise<PowerBody> =>
  (await get(`/v1/households/${H}${device === undefined ? '' : `/devices/${device}`}/power?${query}`)) as unknown as PowerBody;
const means = (body: PowerBody, device: string): number[] => body.series.find((s) => s.device === device)?.points.map((p) => p.mean) ?? [];
/** A split answer's series as [agent, device, distinct means]. */
const splitMeans = (body: PowerBody): [string | undefined, string, number[]][] => body.series.map((s) => [s.agent, s.device, [...new Set(s.points.map((p) => p.mean))]]);
const iso = (ms: number): string => new Date(ms).toISOString();

beforeAll(async () => {
  f = await startReadFixture();
  const raw = await f.service.retentionReady();
  await f.db.addHousehold(H);
  await f.db.addAgent('a1', H);
  await f.db.addAgent('a2', H);
  const userId = await f.db.addUser('two-agents-user');
  await f.db.addMembership(H, userId);
  token = await f.issuer.userToken('two-agents-user');
  await writeInBatches((batch) => f.influx.write(batch), lines());
  const client = createInfluxClient({ url: f.influx.url, database: f.influx.database, timeoutMs: 30_000 });
  await backfillRollups(client, f.service.layout, raw, { fromMs: T0, toMs: T_END }, silentLogger());
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('one device id from two agents (real InfluxDB)', () => {
  const range = `from=${iso(T0)}&to=${iso(T_END)}`;

  it('when power is read from the 1 h and 1 min rollups as stored, then the device is the sum of its agents and the total the sum of every series', async () => {
    f.setNow(T_END + 2 * 86_400_000);
    const hourly = await power(`${range}&resolution=3600`);
    expect(hourly.sources.map((s) => s.source)).toEqual(['rollup_1h']);
    expect(means(hourly, 'oven')).toEqual([1200, 1200]);
    expect(hourly.series.find((s) => s.device === 'oven')?.points.map((p) => p.max)).toEqual([1200, 1200]);
    expect(means(hourly, 'fridge')).toEqual([100, 100]);
    expect(hourly.total.map((p) => p.mean)).toEqual([1300, 1300]);
    const minutes = await power(`${range}&resolution=60`);
    expect(minutes.sources.map((s) => s.source)).toEqual(['rollup_1m']);
    expect(new Set(means(minutes, 'oven'))).toEqual(new Set([1200]));
    expect(minutes.total).toHaveLength(120);
    expect(new Set(minutes.total.map((p) => p.mean))).toEqual(new Set([1300]));
  });

  it('when power is grouped from the 1 min rollup or from raw points, then the sums hold too', async () => {
    f.setNow(T_END + 2 * 86_400_000);
    const fiveMinutes = await power(`${range}&resolution=300`);
    expect(fiveMinutes.sources.map((s) => s.source)).toEqual(['rollup_1m']);
    expect(new Set(means(fiveMinutes, 'oven'))).toEqual(new Set([1200]));
    const tenSeconds = await power(`from=${iso(T0)}&to=${iso(T0 + 3_600_000)}&resolution=10`);
    expect(tenSeconds.sources.map((s) => s.source)).toEqual(['raw']);
    expect(new Set(means(tenSeconds, 'oven'))).toEqual(new Set([1200]));
    expect(new Set(tenSeconds.total.map((p) => p.mean))).toEqual(new Set([1300]));
  });

  it('when power is read at 1 s, finer than the agents sample, then each series holds its last reading and the total does not alternate', async () => {
    const body = await power(`from=${iso(T0 + 600 * S)}&to=${iso(T0 + 1800 * S)}&resolution=1`);
    expect(body.sources.map((s) => s.source)).toEqual(['raw']);
    // Agent 1 reads at :00, agent 2 at :05: a point every 5 s, each the sum of both.
    expect(body.total).toHaveLength(240);
    expect(body.total[0]?.t).toBe(T0 + 600 * S);
    expect(new Set(body.total.map((p) => p.mean))).toEqual(new Set([1300]));
    expect(new Set(means(body, 'oven'))).toEqual(new Set([1200]));
  });

  it('when one device is asked for, then its power is the sum over its agents', async () => {
    f.setNow(T_END + 2 * 86_400_000);
    const body = await power(`${range}&resolution=3600`, 'oven');
    expect(body.series.map((s) => s.device)).toEqual(['oven']);
    expect(means(body, 'oven')).toEqual([1200, 1200]);
    expect(body.total).toEqual([]);
  });

  it('when split=agent is asked for, then each (agent, device) series comes back on its own, naming its agent, at every source, with the same total', async () => {
    f.setNow(T_END + 2 * 86_400_000);
    const perSeries: [string, string, number[]][] = [
      ['a1', 'fridge', [100]],
      ['a1', 'oven', [1000]],
      ['a2', 'oven', [200]],
    ];
    for (const [query, source, points] of [
      [`${range}&resolution=3600`, 'rollup_1h', 2],
      [`${range}&resolution=60`, 'rollup_1m', 120],
      [`${range}&resolution=300`, 'rollup_1m', 24],
      [`from=${iso(T0)}&to=${iso(T0 + 3_600_000)}&resolution=10`, 'raw', 360],
    ] as const) {
      const [split, summed] = await Promise.all([power(`${query}&split=agent`), power(query)]);
      expect(split.sources.map((s) => s.source), query).toEqual([source]);
      expect(splitMeans(split), query).toEqual(perSeries);
      expect(split.series.map((s) => s.points.length), query).toEqual([points, points, points]);
      expect(split.total, query).toEqual(summed.total);
      // Without the parameter the answer is as it always was: per device, no agent named.
      expect(summed.series.map((s) => Object.keys(s)), query).toEqual([
        ['device', 'points'],
        ['device', 'points'],
      ]);
    }
  });

  it('when split=agent is read at 1 s, then each series has only its own readings (nothing held), while the total still holds them', async () => {
    const query = `from=${iso(T0 + 600 * S)}&to=${iso(T0 + 1800 * S)}&resolution=1`;
    const body = await power(`${query}&split=agent`);
    expect(body.sources.map((s) => s.source)).toEqual(['raw']);
    const oven2 = body.series.find((s) => s.agent === 'a2' && s.device === 'oven');
    // Agent 2 reads at :05 every 10 s: 120 readings in these 20 minutes, none at agent 1's :00.
    expect(oven2?.points).toHaveLength(120);
    expect(new Set(oven2?.points.map((p) => (p.t - T0) % (10 * S)))).toEqual(new Set([5 * S]));
    expect(body.total).toEqual((await power(query)).total);
    expect(new Set(body.total.map((p) => p.mean))).toEqual(new Set([1300]));
  });

  it('when one device is asked for with split=agent, then it comes back per agent', async () => {
    f.setNow(T_END + 2 * 86_400_000);
    const body = await power(`${range}&resolution=3600&split=agent`, 'oven');
    expect(splitMeans(body)).toEqual([
      ['a1', 'oven', [1000]],
      ['a2', 'oven', [200]],
    ]);
    expect(body.total).toEqual([]);
  });

  it('when split has another value, then the answer is 400 invalid-request naming it', async () => {
    for (const split of ['device', 'AGENT', '']) {
      const body = await get(`/v1/households/${H}/power?${range}&split=${split}`, 400);
      expect(body['error']).toBe('invalid-request');
      expect(String(body['message'])).toContain('split');
    }
  });

  // Per series: agent 1's oven 1000 W (its first hour counts from its first reading, 3590 s),
  // agent 2's oven 200 W (first hour 3590 s; in the second its counter resets, losing the 10 s
  // between its last reading before the reset and the reset), agent 1's fridge 100 W.
  const expectedOvenKwh = [(1000 * 3590 + 200 * 3590) / 3600 / 1000, (1000 + (200 * (5395 - 3595 + 7195 - 5405)) / 3600) / 1000];
  const expectedTotalKwh = [(expectedOvenKwh[0] ?? 0) + (100 * 3590) / 3600 / 1000, (expectedOvenKwh[1] ?? 0) + 0.1];

  for (const [label, nowMs, sources] of [
    ['raw points', T0 + 60 * S, 'raw'],
    ['the 1 h and 1 min rollups', T_END + 3 * 60 * S, 'rollup_1h+rollup_1m'],
    ['the 1 h rollup', T_END + 2 * 86_400_000, 'rollup_1h'],
  ] as const) {
    it(`when energy is computed from ${label}, then counters are differenced per agent (a reset in one series included) and summed`, async () => {
      f.setNow(nowMs);
      // The energy report reads counters at the same 1 h step: the power answer names its sources.
      const plan = await get(`/v1/households/${H}/power?${range}&resolution=3600`);
      expect((plan['sources'] as { source: string }[]).map((s) => s.source).join('+')).toBe(sources);
      const body = await get(`/v1/households/${H}/energy?period=hour&${range}`);
      const buckets = body['buckets'] as { totalKwh: number; devices: Record<string, number> }[];
      expect(buckets).toHaveLength(2);
      for (const [i, b] of buckets.entries()) {
        expect(Math.abs((b.devices['oven'] ?? 0) - (expectedOvenKwh[i] ?? 0)), `oven hour ${i}`).toBeLessThan(1e-6);
        expect(Math.abs(b.totalKwh - (expectedTotalKwh[i] ?? 0)), `total hour ${i}`).toBeLessThan(1e-6);
      }
      const cost = await get(`/v1/households/${H}/cost?period=day&${range}`);
      const [day] = cost['buckets'] as { totalKwh: number }[];
      expect(Math.abs((day?.totalKwh ?? 0) - (expectedTotalKwh[0] ?? 0) - (expectedTotalKwh[1] ?? 0))).toBeLessThan(1e-6);
    });
  }

  it('when the devices are listed, then each agent lists its own oven', async () => {
    f.setNow(T_END);
    const body = await get(`/v1/households/${H}/devices`);
    const agents = body['agents'] as { id: string; devices: { id: string }[] }[];
    expect(agents.map((a) => [a.id, a.devices.map((d) => d.id)])).toEqual([
      ['a1', ['fridge', 'oven']],
      ['a2', ['oven']],
    ]);
  });
});
