import { describe, expect, it } from 'vitest';
import { ApiError, humanMessage, messageOf } from './api-error';

describe('messages shown to people', () => {
  it('when a 400 names a body field, then the field reads as its label and the words stay', () => {
    expect(humanMessage('body.email: Invalid email address')).toBe('Email: Invalid email address');
    expect(humanMessage('body.timeZone: timeZone must be an IANA time zone such as Europe/Berlin')).toBe('Time zone must be an IANA time zone such as Europe/Berlin');
    expect(humanMessage('body.newPassword: password must have at least 12 characters')).toBe('New password: password must have at least 12 characters');
  });

  it('when several items, nested paths, unknown fields or no field are named, then each item reads the same way', () => {
    expect(humanMessage('body.tariff.periods.0.pricePerKwh: Too small; querystring.fromDate: Invalid date; body: expected object')).toBe(
      'Price per kWh: Too small; From date: Invalid date; expected object',
    );
  });

  it('when a message is no validation summary, then it is shown as the service wrote it', () => {
    expect(humanMessage('InfluxDB cannot be reached; retry later')).toBe('InfluxDB cannot be reached; retry later');
    expect(humanMessage('somebody.email: x')).toBe('somebody.email: x');
  });

  it('when an ApiError is shown, then its message is made human but the error keeps the service’s words', () => {
    const error = new ApiError(400, 'invalid-request', 'body.email: Invalid email address');
    expect(messageOf(error)).toBe('Email: Invalid email address');
    expect(error.message).toBe('body.email: Invalid email address');
  });
});
