import { describe, expect, it } from 'vitest';
import { mqttStringFault } from '../mqtt-string.js';

const fault = (bytes: number[] | string): string | undefined => {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
  return mqttStringFault(buffer, 0, buffer.length);
};

describe('mqttStringFault', () => {
  it('when the string is ASCII or well-formed UTF-8, then it has no fault', () => {
    expect(fault('em/v1/h-1/a-1/readings')).toBeUndefined();
    expect(fault('küche/€/𝄞')).toBeUndefined();
    expect(fault('')).toBeUndefined();
  });

  it('when the string holds U+0000, ASCII or not around it, then the fault is the null character [MQTT-1.5.3-2]', () => {
    expect(fault('a\u0000b')).toBe('null-character');
    expect(fault('é\u0000')).toBe('null-character');
  });

  it('when the bytes are not well-formed UTF-8, then the fault says so [MQTT-1.5.3-1]', () => {
    expect(fault([0x61, 0xc3, 0x28])).toBe('ill-formed-utf8'); // lead byte without continuation
    expect(fault([0xc0, 0x80])).toBe('ill-formed-utf8'); // overlong U+0000
    expect(fault([0xed, 0xa0, 0x80])).toBe('ill-formed-utf8'); // surrogate U+D800
    expect(fault([0xf4, 0x90, 0x80, 0x80])).toBe('ill-formed-utf8'); // above U+10FFFF
  });

  it('when only a range is asked about, then bytes outside it do not count', () => {
    expect(mqttStringFault(Buffer.from([0x00, 0x61, 0x62, 0xff]), 1, 3)).toBeUndefined();
  });
});
