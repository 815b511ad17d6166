// One device id sent by several agents of a household, end to end: the agents publish through the
// real broker, and InfluxDB holds several agents' rows for a warm start. Each (agent, device) is a
// series: power is summed across series, energy counters are differenced within each and summed.
// (The demo household has three agents that all report a "fridge", a "router", …)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, keepPublishing, startAlertsFixture, type AlertsFixture } from './support/alerts-fixture.js';
import { stampsToday } from './support/stamps-today.js';

let f: AlertsFixture;

beforeAll(async () => {
  f = await startAlertsFixture();
});

afterAll(async () => {
  await f?.close();
});

interface AlertView {
  readonly ruleId: string;
  readonly state: string;
  readonly value: number;
}

async function createRule(householdId: string, token: string, rule: Record<string, unknown>): Promise<string> {
  const created = await f.api('POST', `/v1/households/${householdId}/alert-rules`, token, rule);
  expect(created.status).toBe(201);
  return (created.json as { id: string }).id;
}

async function alerts(householdId: string, token: string): Promise<AlertView[]> {
  return ((await f.api('GET', `/v1/households/${householdId}/alerts?state=all`, token)).json as { alerts: AlertView[] }).alerts;
}


describe('one device id on several agents (real broker, InfluxDB, PostgreSQL)', () => {
  it('when two agents report the same device, then the power of both counts, and rules on the total and on the device fire', async () => {
    const { token, agent: first } = await f.addHousehold('h-two-ovens');
    const second = await f.addAgent('h-two-ovens', 'h-two-ovens-agent-2');
    const total = await createRule('h-two-ovens', token, { kind: 'power-above', name: 'Total', thresholdW: 1100, forSeconds: 1 });
    const oven = await createRule('h-two-ovens', token, { kind: 'power-above', name: 'Oven', deviceId: 'oven', thresholdW: 900, forSeconds: 1 });
    const stops = [keepPublishing(first, [['oven', 'power_w', 1000]]), keepPublishing(second, [['oven', 'power_w', 200]])];
    try {
      await eventually(async () => (await alerts('h-two-ovens', token)).length === 2, 'both power rules fire');
    } finally {
      for (const stop of stops) await stop();
    }
    const fired = await alerts('h-two-ovens', token);
    expect(fired.find((a) => a.ruleId === total)).toMatchObject({ state: 'firing', value: 1200 });
    expect(fired.find((a) => a.ruleId === oven)).toMatchObject({ state: 'firing', value: 1200 });
  });

  it("when two agents' counters of one device interleave, then the day's energy is the sum of each series' differences", async () => {
    const { token, agent: first } = await f.addHousehold('h-two-heaters');
    const second = await f.addAgent('h-two-heaters', 'h-two-heaters-agent-2');
    const ruleId = await createRule('h-two-heaters', token, { kind: 'daily-energy-above', name: 'Big day', thresholdKwh: 0.55 });
    await first.publish([['heater', 'energy_wh', 10_000]]);
    await second.publish([['heater', 'energy_wh', 50]]);
    await first.publish([['heater', 'energy_wh', 10_300]]); // +300
    await second.publish([['heater', 'energy_wh', 250]]); // +200
    await second.publish([['heater', 'energy_wh', 5]]); // the second agent's counter reset: +0
    await second.publish([['heater', 'energy_wh', 105]]); // +100: 600 Wh
    await eventually(async () => (await alerts('h-two-heaters', token)).length > 0, 'the daily-energy rule fires');
    expect(await alerts('h-two-heaters', token)).toMatchObject([{ ruleId, state: 'firing', value: 0.6 }]);
  });

  it("when InfluxDB holds two agents' readings of one device, then a restarted service keeps them apart (warm start)", async () => {
    const { token } = await f.addHousehold('h-two-warm');
    const energy = await createRule('h-two-warm', token, { kind: 'daily-energy-above', name: 'Warm day', thresholdKwh: 0.8 });
    const power = await createRule('h-two-warm', token, { kind: 'power-above', name: 'Warm oven', deviceId: 'oven', thresholdW: 1100, forSeconds: 1 });
    const now = Date.now();
    const [t1, t2, t3, t4] = await stampsToday(4, 240_000); // a minute apart, within today
    const row = (agent: string, quantity: string, value: number, atMs: number): string =>
      `reading,agent=${agent},device=oven,household=h-two-warm,quantity=${quantity} value=${value} ${atMs}`;
    // Interleaved counters: 600 Wh on a-1's series and 300 Wh on a-2's; 1000 W + 200 W now.
    await f.influx.write([
      row('a-1', 'energy_wh', 5_000, t1 as number),
      row('a-2', 'energy_wh', 100_000, t2 as number),
      row('a-1', 'energy_wh', 5_600, t3 as number),
      row('a-2', 'energy_wh', 100_300, t4 as number),
      row('a-1', 'power_w', 1_000, now - 10_000),
      row('a-2', 'power_w', 200, now - 10_000),
    ]);
    await f.restart();
    await eventually(async () => (await alerts('h-two-warm', token)).length === 2, 'both rules fire from warm-start data');
    const fired = await alerts('h-two-warm', token);
    expect(fired.find((a) => a.ruleId === energy)).toMatchObject({ state: 'firing', value: 0.9 });
    expect(fired.find((a) => a.ruleId === power)).toMatchObject({ state: 'firing', value: 1200 });
  });
});
