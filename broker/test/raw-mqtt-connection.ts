// A bare MQTT byte pipe to a test broker, over TCP or MQTT/WebSocket, that records every packet
// the broker sends: for tests that must send what no client library would.
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { parser as mqttParser, type Packet } from 'mqtt-packet';
import WebSocket from 'ws';
import type { TestBroker } from '../../test/support/test-broker.js';

export type Transport = 'tcp' | 'ws';

export interface RawMqttConnection {
  readonly received: Packet[];
  write(bytes: Buffer): void;
  isClosed(): boolean;
  /** Resolves when the broker has closed the connection (or it failed). */
  readonly closed: Promise<void>;
  destroy(): void;
}

export async function openRawMqtt(transport: Transport, b: TestBroker): Promise<RawMqttConnection> {
  const received: Packet[] = [];
  const parse = mqttParser({ protocolVersion: 4 });
  parse.on('packet', (packet: Packet) => received.push(packet));
  const ended = (emitter: Socket | WebSocket): Promise<void> => once(emitter, 'close').then(() => undefined, () => undefined);
  if (transport === 'tcp') {
    const socket = connectTcp(b.addresses.mqttPort, '127.0.0.1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => parse.parse(chunk));
    socket.on('error', () => undefined);
    const closed = ended(socket);
    await once(socket, 'connect');
    return { received, write: (bytes) => void (socket.destroyed || socket.write(bytes)), isClosed: () => socket.closed, closed, destroy: () => socket.destroy() };
  }
  const ws = new WebSocket(`ws://127.0.0.1:${b.addresses.wsPort}/`, 'mqtt');
  ws.on('message', (data: Buffer) => parse.parse(data));
  ws.on('error', () => undefined);
  const closed = ended(ws);
  await once(ws, 'open');
  return {
    received,
    write: (bytes) => void (ws.readyState === WebSocket.OPEN && ws.send(bytes)),
    isClosed: () => ws.readyState === WebSocket.CLOSED,
    closed,
    destroy: () => ws.terminate(),
  };
}

/** Resolves true when the broker closes the connection within `ms`, false when it is still open. */
export async function closedWithin(connection: RawMqttConnection, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([connection.closed.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

/** A length-prefixed field [MQTT-1.5.3]. */
export const field = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes]);

/** A packet from its first byte and body, with the Remaining Length encoded [MQTT-2.2.3]. */
export function packet(firstByte: number, body: Buffer): Buffer {
  const length: number[] = [];
  let n = body.length;
  do {
    length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([firstByte, ...length]), body]);
}

/** A CONNECT built by hand, so that it can say what mqtt-packet's generate refuses to. */
export function connectPacket(options: { clientId: Buffer | string; clean?: boolean; protocolName?: string; level?: number; willTopic?: Buffer; username?: Buffer }): Buffer {
  const clientId = typeof options.clientId === 'string' ? Buffer.from(options.clientId) : options.clientId;
  const flags = (options.clean === false ? 0 : 0x02) | (options.willTopic ? 0x04 : 0) | (options.username ? 0x80 : 0);
  return packet(
    0x10,
    Buffer.concat([
      field(Buffer.from(options.protocolName ?? 'MQTT')),
      Buffer.from([options.level ?? 4, flags, 0, 30]),
      field(clientId),
      ...(options.willTopic ? [field(options.willTopic), field(Buffer.from('gone'))] : []),
      ...(options.username ? [field(options.username)] : []),
    ]),
  );
}

/** A PUBLISH with raw topic bytes; `messageId` is written whenever QoS > 0, 0 included. */
export function publishPacket(topic: Buffer | string, options: { qos?: 0 | 1 | 2; messageId?: number; payload?: Buffer } = {}): Buffer {
  const qos = options.qos ?? 0;
  const id = options.messageId ?? 1;
  return packet(
    0x30 | (qos << 1),
    Buffer.concat([field(Buffer.from(topic)), qos > 0 ? Buffer.from([id >> 8, id & 0xff]) : Buffer.alloc(0), options.payload ?? Buffer.from('x')]),
  );
}
