import { describe, expect, it } from 'vitest';
import type { Measurement, ReadingContainer } from '../../../proto/container.js';
import { createAlertEngine, type AlertEngine } from '../domain/alert-engine.js';
import { HOUSEHOLD, type AlertRule } from '../domain/rules.js';

const H = 'h-1';
const T0 = Date.parse('2026-03-28T12:00:00Z');
const S = 1000;
let seq = 0;

function container(atMs: number, readings: [device: string, quantity: Measurement['quantity'], value: number][]): ReadingContainer {
  seq += 1;
  return { householdId: H, agentId: 'a-1', seq, createdAtMs: atMs, measurements: readings.map(([deviceId, quantity, value]) => ({ deviceId, quantity, value, timestampMs: atMs })) };
}

function engineWith(rules: AlertRule[], timeZone = 'Europe/Berlin', startedAtMs = T0): AlertEngine {
  const engine = createAlertEngine({ startedAtMs, staleAfterMs: 60 * S });
  engine.setHousehold(H, timeZone, rules, startedAtMs);
  return engine;
}

const powerRule: AlertRule = { id: 'r-power', householdId: H, createdAtMs: T0, kind: 'power-above', thresholdW: 2000, forSeconds: 10 };
const silentRule: AlertRule = { id: 'r-silent', householdId: H, createdAtMs: T0, kind: 'device-silent', silentSeconds: 30 };
const energyRule: AlertRule = { id: 'r-energy', householdId: H, createdAtMs: T0, kind: 'daily-energy-above', thresholdKwh: 1 };

describe('power-above', () => {
  it('when household power stays above the threshold for the duration, then it fires once, and resolves when it drops', () => {
    const engine = engineWith([powerRule]);
    expect(engine.observe(container(T0, [['oven', 'power_w', 1500], ['kettle', 'power_w', 800]]), T0)).toEqual([]);
    expect(engine.tick(T0 + 9 * S)).toEqual([]);
    expect(engine.tick(T0 + 10 * S)).toEqual([{ type: 'fired', householdId: H, ruleId: 'r-power', subject: HOUSEHOLD, value: 2300, startedAtMs: T0 + 10 * S }]);
    expect(engine.observe(container(T0 + 11 * S, [['oven', 'power_w', 1600]]), T0 + 11 * S)).toEqual([]);
    expect(engine.tick(T0 + 60 * S)).toEqual([]);
    const resolved = engine.observe(container(T0 + 61 * S, [['oven', 'power_w', 100]]), T0 + 61 * S);
    // The kettle's reading is older than staleAfterMs (60 s) by now and no longer counts.
    expect(resolved).toEqual([{ type: 'resolved', householdId: H, ruleId: 'r-power', subject: HOUSEHOLD, value: 100, startedAtMs: T0 + 10 * S, resolvedAtMs: T0 + 61 * S }]);
  });

  it('when power dips below before the duration passed, then the wait starts over', () => {
    const engine = engineWith([powerRule]);
    engine.observe(container(T0, [['oven', 'power_w', 2500]]), T0);
    engine.observe(container(T0 + 8 * S, [['oven', 'power_w', 500]]), T0 + 8 * S);
    engine.observe(container(T0 + 9 * S, [['oven', 'power_w', 2500]]), T0 + 9 * S);
    expect(engine.tick(T0 + 12 * S)).toEqual([]);
    expect(engine.tick(T0 + 19 * S).map((t) => t.type)).toEqual(['fired']);
  });

  it('when a device is named, then only its power counts', () => {
    const engine = engineWith([{ ...powerRule, deviceId: 'kettle' }]);
    engine.observe(container(T0, [['oven', 'power_w', 5000], ['kettle', 'power_w', 100]]), T0);
    expect(engine.tick(T0 + 20 * S)).toEqual([]);
    engine.observe(container(T0 + 21 * S, [['kettle', 'power_w', 2100]]), T0 + 21 * S);
    expect(engine.tick(T0 + 31 * S)).toMatchObject([{ type: 'fired', subject: 'kettle', value: 2100 }]);
  });

  it('when it flaps around the threshold, then it fires at most once per duration', () => {
    const engine = engineWith([powerRule]);
    const types: string[] = [];
    for (let s = 0; s < 60; s += 1) {
      const w = s % 2 === 0 ? 2500 : 1500;
      types.push(...engine.observe(container(T0 + s * S, [['oven', 'power_w', w]]), T0 + s * S).map((t) => t.type));
      types.push(...engine.tick(T0 + s * S + 500).map((t) => t.type));
    }
    expect(types).toEqual([]);
  });

  it('when readings go stale, then nothing changes: the open alert stays open', () => {
    const engine = engineWith([powerRule]);
    engine.observe(container(T0, [['oven', 'power_w', 2500]]), T0);
    expect(engine.tick(T0 + 10 * S)).toHaveLength(1);
    expect(engine.tick(T0 + 600 * S)).toEqual([]);
  });
});

describe('device-silent', () => {
  it('when a device sends nothing for the limit, then it fires for that device, and resolves when data arrives', () => {
    const engine = engineWith([silentRule]);
    engine.observe(container(T0, [['fridge', 'power_w', 80], ['tv', 'power_w', 50]]), T0);
    engine.observe(container(T0 + 20 * S, [['tv', 'power_w', 50]]), T0 + 20 * S);
    expect(engine.tick(T0 + 29 * S)).toEqual([]);
    expect(engine.tick(T0 + 30 * S)).toEqual([{ type: 'fired', householdId: H, ruleId: 'r-silent', subject: 'fridge', value: 30, startedAtMs: T0 + 30 * S }]);
    expect(engine.tick(T0 + 40 * S)).toEqual([]);
    expect(engine.tick(T0 + 50 * S)).toMatchObject([{ type: 'fired', subject: 'tv', value: 30 }]);
    const back = engine.observe(container(T0 + 55 * S, [['fridge', 'power_w', 80]]), T0 + 55 * S);
    expect(back).toMatchObject([{ type: 'resolved', subject: 'fridge', startedAtMs: T0 + 30 * S, resolvedAtMs: T0 + 55 * S }]);
  });

  it('when a named device was never heard, then it counts as silent since the rule was created or the service started', () => {
    const engine = engineWith([{ ...silentRule, deviceId: 'boiler', createdAtMs: T0 - 3600 * S }], 'UTC', T0);
    expect(engine.tick(T0 + 29 * S)).toEqual([]);
    expect(engine.tick(T0 + 30 * S)).toMatchObject([{ type: 'fired', subject: 'boiler' }]);
  });
});

describe('daily-energy-above', () => {
  it('when the local day exceeds the threshold, then it fires once and resolves at local midnight', () => {
    const start = Date.parse('2026-06-10T20:00:00Z'); // 22:00 in Berlin
    const engine = engineWith([energyRule], 'Europe/Berlin', start);
    engine.observe(container(start, [['oven', 'energy_wh', 10_000]]), start);
    expect(engine.observe(container(start + 60 * S, [['oven', 'energy_wh', 10_900]]), start + 60 * S)).toEqual([]);
    expect(engine.observe(container(start + 120 * S, [['oven', 'energy_wh', 11_100]]), start + 120 * S)).toMatchObject([{ type: 'fired', subject: HOUSEHOLD, value: 1.1 }]);
    expect(engine.observe(container(start + 180 * S, [['oven', 'energy_wh', 12_500]]), start + 180 * S)).toEqual([]);
    const beforeMidnight = Date.parse('2026-06-10T21:59:59Z');
    expect(engine.tick(beforeMidnight)).toEqual([]);
    const midnight = Date.parse('2026-06-10T22:00:00Z');
    expect(engine.tick(midnight)).toMatchObject([{ type: 'resolved', resolvedAtMs: midnight, value: 2.5 }]);
    expect(engine.tick(midnight + 60 * S)).toEqual([]);
  });

  it('when the counter resets, then the drop books nothing and counting goes on from the new value', () => {
    const engine = engineWith([{ ...energyRule, thresholdKwh: 0.5 }], 'UTC');
    engine.observe(container(T0, [['plug', 'energy_wh', 900]]), T0);
    engine.observe(container(T0 + S, [['plug', 'energy_wh', 1_200]]), T0 + S); // +300
    expect(engine.observe(container(T0 + 2 * S, [['plug', 'energy_wh', 5]]), T0 + 2 * S)).toEqual([]); // reset: +0
    expect(engine.observe(container(T0 + 3 * S, [['plug', 'energy_wh', 150]]), T0 + 3 * S)).toEqual([]); // +145 = 445
    expect(engine.observe(container(T0 + 4 * S, [['plug', 'energy_wh', 300]]), T0 + 4 * S)).toMatchObject([{ type: 'fired', value: 0.595 }]);
  });

  it('when DST ends (a 25-hour local day), then the day boundary is local midnight, not 24 h after the last one', () => {
    // Europe/Berlin leaves summer time on 2026-10-25: that local day runs from 22:00Z to 23:00Z next day.
    const dayStart = Date.parse('2026-10-24T22:00:00Z');
    const engine = engineWith([energyRule], 'Europe/Berlin', dayStart);
    engine.observe(container(dayStart, [['heat', 'energy_wh', 0]]), dayStart);
    const late = Date.parse('2026-10-25T22:30:00Z'); // 23:30 local, still 25 October
    expect(engine.observe(container(late, [['heat', 'energy_wh', 2_000]]), late)).toMatchObject([{ type: 'fired' }]);
    expect(engine.tick(Date.parse('2026-10-25T22:59:59Z'))).toEqual([]);
    expect(engine.tick(Date.parse('2026-10-25T23:00:00Z'))).toMatchObject([{ type: 'resolved' }]);
  });

  it('when readings cross midnight, then energy after midnight counts for the new day only', () => {
    const engine = engineWith([energyRule], 'UTC', Date.parse('2026-03-28T23:59:00Z'));
    const t = Date.parse('2026-03-28T23:59:00Z');
    engine.observe(container(t, [['oven', 'energy_wh', 0]]), t);
    engine.observe(container(t + 50 * S, [['oven', 'energy_wh', 900]]), t + 50 * S);
    expect(engine.observe(container(t + 70 * S, [['oven', 'energy_wh', 1_800]]), t + 70 * S)).toEqual([]); // 0.9 kWh on the 29th
  });
});

describe('deduplication and restarts', () => {
  it('when an alert was open before a restart, then it does not fire again and still resolves', () => {
    const engine = engineWith([powerRule]);
    engine.restoreOpen([{ householdId: H, ruleId: 'r-power', subject: HOUSEHOLD, startedAtMs: T0 - 3600 * S, value: 2500 }]);
    engine.observe(container(T0, [['oven', 'power_w', 2600]]), T0);
    expect(engine.tick(T0 + 20 * S)).toEqual([]);
    expect(engine.observe(container(T0 + 21 * S, [['oven', 'power_w', 10]]), T0 + 21 * S)).toMatchObject([{ type: 'resolved', startedAtMs: T0 - 3600 * S }]);
  });

  it('when a rule is edited or removed, then its open alert resolves', () => {
    const engine = engineWith([powerRule]);
    engine.observe(container(T0, [['oven', 'power_w', 2600]]), T0);
    expect(engine.tick(T0 + 10 * S)).toHaveLength(1);
    expect(engine.setHousehold(H, 'Europe/Berlin', [powerRule], T0 + 11 * S)).toEqual([]);
    expect(engine.setHousehold(H, 'Europe/Berlin', [{ ...powerRule, thresholdW: 3000 }], T0 + 12 * S)).toMatchObject([{ type: 'resolved', ruleId: 'r-power' }]);
    expect(engine.tick(T0 + 30 * S)).toEqual([]);
  });

  it('when a warm start seeds last-seen times and day energy, then evaluation continues from them', () => {
    const engine = engineWith([silentRule, energyRule], 'UTC');
    engine.seed(H, { series: [{ agentId: 'a-1', deviceId: 'fridge', lastSeenMs: T0 - 25 * S, counterWh: 5_000, counterAtMs: T0 - 25 * S }], day: '2026-03-28', dayWh: 900 });
    expect(engine.tick(T0 + 5 * S).map((t) => `${t.type}:${t.ruleId}:${t.subject}`)).toEqual(['fired:r-silent:fridge']);
    expect(engine.observe(container(T0 + 6 * S, [['fridge', 'energy_wh', 5_200]]), T0 + 6 * S).map((t) => `${t.type}:${t.ruleId}`)).toEqual(['resolved:r-silent', 'fired:r-energy']);
  });
});

describe('live-feed outages', () => {
  it('when the feed was down, then silence counts from the reconnect, and an open silent alert stays open until data arrives', () => {
    const engine = engineWith([{ ...silentRule, deviceId: undefined }], 'UTC');
    engine.observe(container(T0, [['fridge', 'power_w', 80], ['tv', 'power_w', 50]]), T0);
    expect(engine.tick(T0 + 30 * S).map((t) => t.subject)).toEqual(['fridge', 'tv']);
    engine.observe(container(T0 + 40 * S, [['tv', 'power_w', 50]]), T0 + 40 * S);
    engine.feedResumed(T0 + 60 * S);
    // tv: 20 s of real silence before the outage ended would be 30 s at T0+70, but it counts from T0+60.
    expect(engine.tick(T0 + 75 * S)).toEqual([]);
    expect(engine.tick(T0 + 90 * S).map((t) => `${t.type}:${t.subject}`)).toEqual(['fired:tv']);
    expect(engine.observe(container(T0 + 91 * S, [['fridge', 'power_w', 80]]), T0 + 91 * S).map((t) => `${t.type}:${t.subject}`)).toEqual(['resolved:fridge']);
  });
});
