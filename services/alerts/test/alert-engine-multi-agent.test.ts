// One device id sent by several agents of a household (three Pis each reporting a "fridge"): each
// (agent, device) is a series of its own. Power is summed across series, energy counters are
// differenced within each (a reset is per series), and a device is silent when no agent sends it.
import { describe, expect, it } from 'vitest';
import type { Measurement, ReadingContainer } from '../../../proto/container.js';
import { createAlertEngine, type AlertEngine } from '../domain/alert-engine.js';
import { HOUSEHOLD, type AlertRule } from '../domain/rules.js';

const H = 'h-1';
const T0 = Date.parse('2026-03-28T12:00:00Z');
const S = 1000;
let seq = 0;

function container(atMs: number, readings: [device: string, quantity: Measurement['quantity'], value: number][], agentId: string): ReadingContainer {
  seq += 1;
  return { householdId: H, agentId, seq, createdAtMs: atMs, measurements: readings.map(([deviceId, quantity, value]) => ({ deviceId, quantity, value, timestampMs: atMs })) };
}

function engineWith(rules: AlertRule[], timeZone = 'Europe/Berlin'): AlertEngine {
  const engine = createAlertEngine({ startedAtMs: T0, staleAfterMs: 60 * S });
  engine.setHousehold(H, timeZone, rules, T0);
  return engine;
}

const powerRule: AlertRule = { id: 'r-power', householdId: H, createdAtMs: T0, kind: 'power-above', thresholdW: 2000, forSeconds: 10 };
const silentRule: AlertRule = { id: 'r-silent', householdId: H, createdAtMs: T0, kind: 'device-silent', silentSeconds: 30 };
const energyRule: AlertRule = { id: 'r-energy', householdId: H, createdAtMs: T0, kind: 'daily-energy-above', thresholdKwh: 1 };

describe('one device id on several agents of a household', () => {
  it('when two agents report the same device, then its power and the household power are the sums of both', () => {
    const engine = engineWith([{ ...powerRule, thresholdW: 1100, forSeconds: 5 }, { ...powerRule, id: 'r-oven', deviceId: 'oven', thresholdW: 900, forSeconds: 5 }]);
    engine.observe(container(T0, [['oven', 'power_w', 1000]], 'a-1'), T0);
    engine.observe(container(T0, [['oven', 'power_w', 200]], 'a-2'), T0);
    expect(engine.tick(T0 + 5 * S)).toEqual([
      { type: 'fired', householdId: H, ruleId: 'r-power', subject: HOUSEHOLD, value: 1200, startedAtMs: T0 + 5 * S },
      { type: 'fired', householdId: H, ruleId: 'r-oven', subject: 'oven', value: 1200, startedAtMs: T0 + 5 * S },
    ]);
  });

  it("when one agent's reading of a device goes stale, then only that series drops out of the sum", () => {
    const engine = engineWith([{ ...powerRule, thresholdW: 1100, forSeconds: 5 }]);
    engine.observe(container(T0, [['oven', 'power_w', 1000]], 'a-1'), T0);
    engine.observe(container(T0, [['oven', 'power_w', 200]], 'a-2'), T0);
    expect(engine.tick(T0 + 5 * S)).toMatchObject([{ type: 'fired', value: 1200 }]);
    // a-2 keeps sending; a-1's reading (T0) is older than staleAfterMs (60 s) at T0 + 61 s.
    expect(engine.observe(container(T0 + 59 * S, [['oven', 'power_w', 250]], 'a-2'), T0 + 59 * S)).toEqual([]);
    expect(engine.tick(T0 + 61 * S)).toMatchObject([{ type: 'resolved', value: 250 }]);
  });

  it('when two agents report counters of the same device, then energy is differenced per series, a reset on one counting nothing', () => {
    const engine = engineWith([{ ...energyRule, thresholdKwh: 0.55 }], 'UTC');
    const at = (s: number): number => T0 + s * S;
    const types: string[] = [];
    const feed = (s: number, agent: string, wh: number): void => {
      types.push(...engine.observe(container(at(s), [['heater', 'energy_wh', wh]], agent), at(s)).map((t) => `${t.type}:${t.value}`));
    };
    feed(0, 'a-1', 10_000);
    feed(1, 'a-2', 50);
    feed(2, 'a-1', 10_300); // +300 on a-1's series
    feed(3, 'a-2', 250); // +200 on a-2's
    feed(4, 'a-2', 5); // a-2's counter reset: +0
    expect(types).toEqual([]);
    feed(5, 'a-2', 105); // +100: 600 Wh
    expect(types).toEqual(['fired:0.6']);
  });

  it('when one agent stops sending a device another agent still sends, then it is not silent; when both stop, it is', () => {
    const engine = engineWith([{ ...silentRule, deviceId: 'fridge' }]);
    engine.observe(container(T0, [['fridge', 'power_w', 80]], 'a-1'), T0);
    engine.observe(container(T0 + 20 * S, [['fridge', 'power_w', 80]], 'a-2'), T0 + 20 * S);
    expect(engine.tick(T0 + 45 * S)).toEqual([]);
    expect(engine.tick(T0 + 50 * S)).toMatchObject([{ type: 'fired', subject: 'fridge', value: 30 }]);
  });
});
