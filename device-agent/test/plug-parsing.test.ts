import { describe, expect, it } from 'vitest';
import { parsePlugList } from '../sources/plug-config.js';
import { PlugReadError } from '../sources/plug-read-error.js';
import { shellyMeasurements } from '../sources/shelly-gen2.js';
import { tasmotaMeasurements } from '../sources/tasmota.js';
import { SHELLY_PLUS_PLUG_S, TASMOTA_STATUS_8, TASMOTA_STATUS_8_TWO_CHANNELS } from './plug-fixtures.js';

const NOW = Date.UTC(2024, 0, 15, 18, 30);

function failureOf(read: () => unknown): string | undefined {
  try {
    read();
  } catch (err) {
    if (err instanceof PlugReadError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('Shelly Gen2 Switch.GetStatus', () => {
  it('reads apower, voltage, current and aenergy.total (Wh)', () => {
    expect(shellyMeasurements(SHELLY_PLUS_PLUG_S, 'kitchen', NOW)).toEqual([
      { deviceId: 'kitchen', quantity: 'power_w', value: 112.4, timestampMs: NOW },
      { deviceId: 'kitchen', quantity: 'energy_wh', value: 5321.884, timestampMs: NOW },
      { deviceId: 'kitchen', quantity: 'voltage_v', value: 231.2, timestampMs: NOW },
      { deviceId: 'kitchen', quantity: 'current_a', value: 0.513, timestampMs: NOW },
    ]);
  });

  it('accepts a relay without voltage and current', () => {
    const body = JSON.stringify({ id: 0, apower: 0, aenergy: { total: 1 } });
    expect(shellyMeasurements(body, 'relay', NOW).map((m) => m.quantity)).toEqual(['power_w', 'energy_wh']);
  });

  it('refuses malformed JSON and bodies of the wrong shape', () => {
    expect(failureOf(() => shellyMeasurements('{"apower": 12.3,', 'x', NOW))).toBe('malformed-json');
    expect(failureOf(() => shellyMeasurements('<html>login</html>', 'x', NOW))).toBe('malformed-json');
    expect(failureOf(() => shellyMeasurements('{"apower":"12"}', 'x', NOW))).toBe('unexpected-shape');
    expect(failureOf(() => shellyMeasurements('{"code":-105,"message":"Argument id not found"}', 'x', NOW))).toBe('unexpected-shape');
    expect(failureOf(() => shellyMeasurements('null', 'x', NOW))).toBe('unexpected-shape');
  });
});

describe('Tasmota Status 8', () => {
  it('reads Power, Voltage, Current and converts Total from kWh to Wh exactly', () => {
    expect(tasmotaMeasurements(TASMOTA_STATUS_8, 'washer', 0, NOW)).toEqual([
      { deviceId: 'washer', quantity: 'power_w', value: 2012, timestampMs: NOW },
      { deviceId: 'washer', quantity: 'energy_wh', value: 12345, timestampMs: NOW },
      { deviceId: 'washer', quantity: 'voltage_v', value: 229, timestampMs: NOW },
      { deviceId: 'washer', quantity: 'current_a', value: 8.786, timestampMs: NOW },
    ]);
  });

  it('picks the channel of a multi-channel device', () => {
    const second = tasmotaMeasurements(TASMOTA_STATUS_8_TWO_CHANNELS, 'ch2', 1, NOW);
    expect(second.map((m) => m.value)).toEqual([60, 2500, 230, 0.26]);
    expect(failureOf(() => tasmotaMeasurements(TASMOTA_STATUS_8_TWO_CHANNELS, 'ch3', 2, NOW))).toBe('unexpected-shape');
  });

  it('refuses malformed JSON and bodies of the wrong shape', () => {
    expect(failureOf(() => tasmotaMeasurements('{"StatusSNS":', 'x', 0, NOW))).toBe('malformed-json');
    expect(failureOf(() => tasmotaMeasurements('{"Command":"Unknown"}', 'x', 0, NOW))).toBe('unexpected-shape');
    expect(failureOf(() => tasmotaMeasurements('{"StatusSNS":{"ENERGY":{"Power":"45","Total":1}}}', 'x', 0, NOW))).toBe(
      'unexpected-shape',
    );
  });
});

describe('EM_AGENT_PLUGS', () => {
  it('parses name=url pairs, with the channel in the URL fragment', () => {
    expect(parsePlugList('kitchen=http://192.168.1.20, washer=http://192.168.1.21:8080/#1,')).toEqual([
      { deviceId: 'kitchen', baseUrl: 'http://192.168.1.20', channel: 0 },
      { deviceId: 'washer', baseUrl: 'http://192.168.1.21:8080', channel: 1 },
    ]);
    expect(parsePlugList('')).toEqual([]);
  });

  it('refuses what it cannot poll', () => {
    expect(() => parsePlugList('kitchen')).toThrow(/name=url/);
    expect(() => parsePlugList('k=not a url')).toThrow(/not a URL/);
    expect(() => parsePlugList('k=https://plug')).toThrow(/only http/);
    expect(() => parsePlugList('k=http://plug#x')).toThrow(/channel/);
    expect(() => parsePlugList('k=http://a,k=http://b')).toThrow(/unique/);
  });
});
