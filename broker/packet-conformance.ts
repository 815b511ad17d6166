// MQTT 3.1.1 rules that only the raw bytes of a packet can show, checked before Aedes' parser
// (mqtt-packet) decodes them: it turns ill-formed UTF-8 into U+FFFD, keeps U+0000, takes packet
// identifier 0, and drops the connection without a CONNACK for a protocol level it does not know.
// PacketSizeScanner hands each CONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE here; what passes goes
// on to Aedes unchanged. A refusal closes the connection ([MQTT-4.8.0-1]), after a CONNACK when
// the spec asks for one.
import { mqttStringFault } from './mqtt-string.js';

export type Conformance = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly connackReturnCode?: 1 | 2 };

const OK: Conformance = { ok: true };
const refuse = (reason: string, connackReturnCode?: 1 | 2): Conformance =>
  connackReturnCode === undefined ? { ok: false, reason } : { ok: false, reason, connackReturnCode };

const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;

/** Whether packets of this first byte are checked here (the client-to-server packets that carry strings). */
export function isChecked(firstByte: number): boolean {
  const type = firstByte >> 4;
  return type === CONNECT || type === PUBLISH || type === SUBSCRIBE || type === UNSUBSCRIBE;
}

export const isPublish = (firstByte: number): boolean => firstByte >> 4 === PUBLISH;

/** The bytes of a PUBLISH body its check needs: topic length, topic, packet identifier when QoS > 0 [MQTT-3.3.2]. */
export function publishHeaderBytes(firstByte: number, topicLength: number): number {
  return 2 + topicLength + ((firstByte & 0x06) === 0 ? 0 : 2);
}

/** Reads length-prefixed fields [MQTT-1.5.3] off a body; every read returns undefined past its end. */
class Fields {
  at = 0;
  constructor(private readonly body: Uint8Array) {}
  u8(): number | undefined {
    return this.at < this.body.length ? this.body[this.at++] : undefined;
  }
  u16(): number | undefined {
    if (this.at + 2 > this.body.length) return undefined;
    const value = (this.body[this.at] as number) * 256 + (this.body[this.at + 1] as number);
    this.at += 2;
    return value;
  }
  /** A length-prefixed field: its [from, to) range. */
  field(): { from: number; to: number } | undefined {
    const length = this.u16();
    if (length === undefined || this.at + length > this.body.length) return undefined;
    this.at += length;
    return { from: this.at - length, to: this.at };
  }
  /** A string field: its fault, or '' when valid, or undefined past the end. */
  stringFault(): string | undefined {
    const range = this.field();
    return range === undefined ? undefined : (mqttStringFault(this.body, range.from, range.to) ?? '');
  }
  get done(): boolean {
    return this.at >= this.body.length;
  }
}

function stringRefusal(fault: string, what: string): Conformance {
  // [MQTT-1.5.3-1] ill-formed UTF-8, [MQTT-1.5.3-2] U+0000: the receiver closes the connection.
  return refuse(`${what}: ${fault} [${fault === 'null-character' ? 'MQTT-1.5.3-2' : 'MQTT-1.5.3-1'}]`);
}

function checkConnect(body: Uint8Array, isFirstPacket: boolean): Conformance {
  const fields = new Fields(body);
  const name = fields.field();
  if (name === undefined) return refuse('malformed CONNECT');
  const protocolName = name.to - name.from > 6 ? '' : String.fromCharCode(...body.subarray(name.from, name.to));
  // [MQTT-3.1.2-1] an unknown protocol name may be disconnected without a CONNACK (MQIsdp: MQTT 3.1).
  if (protocolName !== 'MQTT' && protocolName !== 'MQIsdp') return refuse('unknown protocol name [MQTT-3.1.2-1]');
  const level = fields.u8();
  const flags = fields.u8();
  if (level === undefined || flags === undefined || fields.u16() === undefined) return refuse('malformed CONNECT');
  // [MQTT-3.1.2-2] levels we do not speak get CONNACK 0x01, then the connection closes. Aedes
  // speaks MQTT 3.1.1 (name MQTT, level 4) and 3.1 (MQIsdp, level 3); bit 7 is the bridge flag
  // that mqtt-packet and Aedes accept.
  const unsupported = (level & 0x7f) !== (protocolName === 'MQTT' ? 4 : 3);
  // A second CONNECT is a violation in itself [MQTT-3.1.0-2]: it never gets a CONNACK.
  if (unsupported) return refuse(`unsupported protocol level ${level} [MQTT-3.1.2-2]`, isFirstPacket ? 1 : undefined);
  const clientIdStart = fields.at;
  const clientId = fields.stringFault();
  const strings: Array<[string, string | undefined]> = [['client id', clientId]];
  if ((flags & 0x04) !== 0) {
    const willTopicAt = fields.at;
    strings.push(['will topic', fields.stringFault()]);
    if (fields.field() === undefined) return refuse('malformed CONNECT');
    // The will is published under its topic, a Topic Name: no wildcards in it [MQTT-3.3.2-2].
    if (holdsWildcard(body, willTopicAt + 2, willTopicAt + 2 + (body[willTopicAt] as number) * 256 + (body[willTopicAt + 1] as number))) {
      return refuse('will topic with a wildcard [MQTT-3.3.2-2]');
    }
  }
  if ((flags & 0x80) !== 0) strings.push(['user name', fields.stringFault()]);
  for (const [what, fault] of strings) {
    if (fault === undefined) return refuse('malformed CONNECT');
    if (fault !== '') return stringRefusal(fault, `CONNECT ${what}`);
  }
  // [MQTT-3.1.3-8] a zero-length client id with CleanSession 0: CONNACK 0x02, then close.
  const clientIdEmpty = body[clientIdStart] === 0 && body[clientIdStart + 1] === 0;
  if (clientIdEmpty && (flags & 0x02) === 0) return refuse('zero-length client id without clean session [MQTT-3.1.3-8]', isFirstPacket ? 2 : undefined);
  return OK;
}

/** `+` or `#` in body[from, to): wildcards belong in topic filters only [MQTT-4.7.1-1]. */
function holdsWildcard(body: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to && i < body.length; i++) if (body[i] === 0x2b || body[i] === 0x23) return true;
  return false;
}

function checkPublish(firstByte: number, header: Uint8Array): Conformance {
  // [MQTT-3.3.1-2] DUP must be 0 on a QoS 0 publish: there is nothing to re-deliver.
  if ((firstByte & 0x0e) === 0x08) return refuse('QoS 0 PUBLISH with DUP 1 [MQTT-3.3.1-2]');
  const fields = new Fields(header);
  const topic = fields.stringFault();
  if (topic === undefined) return refuse('malformed PUBLISH');
  if (topic !== '') return stringRefusal(topic, 'PUBLISH topic');
  // [MQTT-2.3.1-1] QoS 1 and 2 publishes carry a non-zero packet identifier.
  if ((firstByte & 0x06) !== 0 && fields.u16() === 0) return refuse('PUBLISH packet identifier 0 [MQTT-2.3.1-1]');
  return OK;
}

/** SUBSCRIBE: filter + requested QoS pairs; UNSUBSCRIBE: filters [MQTT-3.8.3], [MQTT-3.10.3]. */
function checkFilters(body: Uint8Array, what: string, qosAfterEach: boolean): Conformance {
  const fields = new Fields(body);
  const id = fields.u16();
  if (id === undefined) return refuse(`malformed ${what}`);
  if (id === 0) return refuse(`${what} packet identifier 0 [MQTT-2.3.1-1]`);
  while (!fields.done) {
    const fault = fields.stringFault();
    if (fault === undefined || (qosAfterEach && fields.u8() === undefined)) return refuse(`malformed ${what}`);
    if (fault !== '') return stringRefusal(fault, `${what} topic filter`);
  }
  return OK;
}

/**
 * Checks one packet: `body` is its whole body, or for PUBLISH its first publishHeaderBytes. The
 * rest (flags, wildcards, empty filter lists, QoS 3) stays mqtt-packet's and Aedes' to refuse.
 */
export function checkPacket(firstByte: number, body: Uint8Array, isFirstPacket: boolean): Conformance {
  switch (firstByte >> 4) {
    case CONNECT:
      return checkConnect(body, isFirstPacket);
    case PUBLISH:
      return checkPublish(firstByte, body);
    case SUBSCRIBE:
      return checkFilters(body, 'SUBSCRIBE', true);
    case UNSUBSCRIBE:
      return checkFilters(body, 'UNSUBSCRIBE', false);
    default:
      return OK;
  }
}
