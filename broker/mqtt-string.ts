// The rules for an MQTT "UTF-8 encoded string" (MQTT 3.1.1 §1.5.3), checked on the raw bytes.
// mqtt-packet decodes strings with Buffer#toString, which turns an ill-formed sequence into U+FFFD
// and keeps U+0000: by the time Aedes sees a topic the violation can no longer be told apart from a
// client that really sent U+FFFD. Both rules say the receiver closes the connection.
import { isUtf8 } from 'node:buffer';

export type StringFault = 'ill-formed-utf8' | 'null-character';

/**
 * What is wrong with the string in bytes [from, to), or undefined when it is a valid MQTT string:
 * well-formed UTF-8 with no surrogates and nothing above U+10FFFF [MQTT-1.5.3-1], and no U+0000
 * [MQTT-1.5.3-2]. Topics are ASCII nearly always: that loop needs no call into native code.
 */
export function mqttStringFault(bytes: Uint8Array, from: number, to: number): StringFault | undefined {
  let i = from;
  for (; i < to; i++) {
    const byte = bytes[i] as number;
    if (byte === 0) return 'null-character';
    if (byte >= 0x80) break;
  }
  if (i === to) return undefined;
  // UTF-8 encodes U+0000 only as the byte 0 (an overlong C0 80 is ill-formed), so one search suffices.
  const rest = bytes.subarray(i, to);
  if (!isUtf8(rest)) return 'ill-formed-utf8';
  return rest.includes(0) ? 'null-character' : undefined;
}
