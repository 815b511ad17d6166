import { describe, expect, it } from 'vitest';
import { emptyRuleForm, fieldErrorsOfApiMessage, formatAlertValue, minutesToSeconds, ruleInputOf, secondsToMinutes } from './alerts-form-model';

describe('alert rule form model', () => {
  it('when minutes are typed, then whole seconds go to the API, and seconds read back as minutes', () => {
    expect(minutesToSeconds('10')).toBe(600);
    expect(minutesToSeconds('1,5')).toBe(90);
    expect(minutesToSeconds('0.1')).toBe(6);
    expect(minutesToSeconds('')).toBeNaN();
    expect(minutesToSeconds('ten')).toBeNaN();
    expect(secondsToMinutes(600)).toBe('10');
    expect(secondsToMinutes(90)).toBe('1.5');
    expect(secondsToMinutes(7)).toBe('0.12');
    expect(minutesToSeconds(secondsToMinutes(7))).toBe(7);
  });

  it('when a duration rounds to under a second or past 7 days, then the minutes field says so', () => {
    expect(ruleInputOf({ ...emptyRuleForm('device-silent'), minutes: '0.001' })).toEqual({ errors: { minutes: 'Enter at least 1 second (0.02 minutes).' } });
    expect(ruleInputOf({ ...emptyRuleForm('device-silent'), minutes: '10081' })).toEqual({ errors: { minutes: 'At most 7 days (10080 minutes).' } });
    expect(ruleInputOf({ ...emptyRuleForm('device-silent'), minutes: '10080' })).toEqual({ input: { kind: 'device-silent', name: 'Device silent', enabled: true, silentSeconds: 604_800 } });
  });

  it('when the API refuses fields, then each message goes to the form field it names', () => {
    expect(fieldErrorsOfApiMessage('body.forSeconds: Too small; body.name: Too long; querystring: odd')).toEqual({
      fields: { minutes: 'Too small (the service counts seconds)', name: 'Too long' },
      rest: ['querystring: odd'],
    });
  });

  it('when an alert is shown, then watts read as power, seconds as minutes, kWh as energy', () => {
    expect(formatAlertValue(2350, 'W')).toBe('2.35 kW');
    expect(formatAlertValue(60, 's')).toBe('1 minute');
    expect(formatAlertValue(31.5, 'kWh')).toBe('31.50 kWh');
  });
});
