import { describe, expect, it } from 'vitest';
import { alertsQuery, ruleInput, webhookInput } from '../http/schemas.js';

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] =>
  (result.error?.issues ?? []).map((i) => i.path.join('.'));

describe('alerts API schemas', () => {
  it('when a rule of each kind is valid, then it parses with enabled defaulting to true', () => {
    expect(ruleInput.parse({ kind: 'power-above', name: 'Oven', thresholdW: 3000, forSeconds: 600 })).toEqual({ kind: 'power-above', name: 'Oven', enabled: true, thresholdW: 3000, forSeconds: 600 });
    expect(ruleInput.parse({ kind: 'device-silent', name: 'Fridge', deviceId: 'fridge', silentSeconds: 900, enabled: false }).enabled).toBe(false);
    expect(ruleInput.parse({ kind: 'daily-energy-above', name: 'Day', thresholdKwh: 12.5 }).kind).toBe('daily-energy-above');
  });

  it('when a field is wrong, then the issue names that field', () => {
    expect(issuePaths(ruleInput.safeParse({ kind: 'power-above', name: 'x', thresholdW: -1, forSeconds: 60 }))).toEqual(['thresholdW']);
    expect(issuePaths(ruleInput.safeParse({ kind: 'power-above', name: 'x', thresholdW: 10, forSeconds: 1.5 }))).toEqual(['forSeconds']);
    expect(issuePaths(ruleInput.safeParse({ kind: 'device-silent', name: '', silentSeconds: 60 }))).toEqual(['name']);
    expect(issuePaths(ruleInput.safeParse({ kind: 'rain', name: 'x' }))).toEqual(['kind']);
  });

  it('when a webhook URL is not http(s), then it is refused', () => {
    expect(webhookInput.safeParse({ url: 'https://hooks.example.test/em' }).success).toBe(true);
    expect(issuePaths(webhookInput.safeParse({ url: 'ftp://hooks.example.test/em' }))).toEqual(['url']);
    expect(issuePaths(webhookInput.safeParse({ url: 'javascript:alert(1)' }))).toEqual(['url']);
    expect(issuePaths(webhookInput.safeParse({ url: 'http://x.test', secret: 'short' }))).toEqual(['secret']);
  });

  it('when the alert list is asked for without a state, then all states and 100 rows are meant', () => {
    expect(alertsQuery.parse({})).toEqual({ state: 'all', limit: 100 });
    expect(alertsQuery.safeParse({ state: 'open' }).success).toBe(false);
  });
});
