// Readings publishes taken off a TCP connection before Aedes parses them (decision 011).
//
// A QoS 1 readings PUBLISH is most of what the broker does, and in Aedes each one also passes
// its parser, its handler series, its subscription matcher and its packet writer, even when
// nobody subscribes to readings: about a fifth of the broker's CPU (docs/benchmarks.md, ingest
// spine, "Seventh look"). This path takes exactly those packets: complete in one chunk read from
// the socket, fixed header 0x32 (PUBLISH, QoS 1, RETAIN 0; DUP either way [MQTT-3.3.1]), a topic
// that is an agent's readings topic, a non-zero packet identifier [MQTT-2.3.1-1], from a client
// Aedes has accepted (CONNECT done). Everything else on the connection, in order, stays Aedes'.
//
// A taken publish goes through the same authorizePublish chain as Aedes would run (topic ACL,
// journal backpressure, validation, durable append, dead letters), then gets its PUBACK
// [MQTT-3.3.4-1] and, if someone subscribed to readings and it was not refused or forwarded
// already, is handed to Aedes to forward. An error closes the connection as Aedes does (the
// client's 'error'), so a publish that is not durable is never acknowledged.
//
// Order: Aedes delivers a client's publishes to a topic in the order it received them
// [MQTT-4.6.0-6]. A publish this path leaves to Aedes (split across reads, QoS 0 or 2, too large
// for one read…) is parsed by Aedes only after the chunk that held its end has been split here, so
// a readings publish behind it in that chunk, or in the next ones, would be validated and forwarded
// first. So once a PUBLISH is left to Aedes, nothing more is taken on that connection until Aedes
// has published every PUBLISH it was left (its 'publish' event: publishedByAedes).
//
// What Aedes did for free and this does by hand:
// - keepalive: every packet received restarts the client's keepalive timer [MQTT-3.1.2-24];
// - flow control: Aedes reads the next chunk only when the last one's packets are done; here at
//   most MAX_IN_FLIGHT publishes per connection wait for the journal, then the socket stops reading
//   until half have been acknowledged (TCP pushes back on the client).
import type { Duplex } from 'node:stream';
import type { Client, PublishPacket } from 'aedes';
import { parseAgentTopic } from '../proto/topics.js';
import type { AuthorizePublishHandler } from './aedes-types.js';
import { attachConnection, connectionMayRead, inFlightDone, publishedByAedes, STATE, type ConnectionState, type FastPathSocket } from './readings-fast-path-connection.js';
import { acknowledge, DISCONNECT, DUP_FLAG, isPublish, payloadOf, PUBLISH_QOS1 } from './readings-fast-path-wire.js';

export { MAX_IN_FLIGHT } from './readings-fast-path-connection.js';

export interface ReadingsFastPathDeps {
  readonly authorizePublish: AuthorizePublishHandler;
  /** Called once a taken publish was acknowledged: hands it to Aedes' subscribers when it should be forwarded. */
  readonly forward: (packet: PublishPacket) => void;
}

export interface ReadingsFastPath {
  /** Aedes accepted `client` on `socket`: from now on its readings publishes may be taken. */
  attach(socket: Duplex, client: Client): void;
  /**
   * Takes the readings publishes out of a chunk read from `socket`, given where its packets start
   * (PacketSizeScanner). Returns the parts of the chunk left for Aedes, in order, or undefined
   * when none was taken (the whole chunk is Aedes').
   */
  split(socket: Duplex, chunk: Buffer, packetStarts: readonly number[]): Buffer[] | undefined;
  /** False while `socket` has MAX_IN_FLIGHT publishes waiting: reading stops until half are done. */
  mayRead(socket: Duplex): boolean;
  /** Aedes has published a PUBLISH `client` sent (its 'publish' event): taking may resume once all are. */
  publishedByAedes(client: Client): void;
  /** Publishes taken so far (a plain count: a metric reads it at scrape time). */
  taken(): number;
}

/** Aedes' keepalive timer (lib/handlers/connect.js), which it restarts for every packet it parses. */
type KeepaliveClient = Client & { _keepaliveTimer?: { refresh(): void } | null };

export function createReadingsFastPath(deps: ReadingsFastPathDeps): ReadingsFastPath {
  let takenTotal = 0;

  /** Takes the packet at [start, end) if it is a readings publish; false leaves it to Aedes. */
  function take(socket: FastPathSocket, state: ConnectionState, chunk: Buffer, start: number, bodyAt: number, end: number): boolean {
    if (bodyAt + 2 > end) return false;
    const topicLength = (chunk[bodyAt] as number) * 256 + (chunk[bodyAt + 1] as number);
    const idAt = bodyAt + 2 + topicLength;
    if (idAt + 2 > end) return false;
    // latin1: a readings topic is ASCII, where latin1 and UTF-8 agree; any other byte fails the
    // parse (which remembers the topics it has seen: proto/topics.ts).
    const topic = chunk.toString('latin1', bodyAt + 2, idAt);
    if (parseAgentTopic(topic)?.kind !== 'readings') return false;
    const messageId = (chunk[idAt] as number) * 256 + (chunk[idAt + 1] as number);
    if (messageId === 0) return false;
    const packet: PublishPacket = {
      cmd: 'publish',
      topic,
      payload: payloadOf(chunk, idAt + 2, end),
      qos: 1,
      messageId,
      retain: false,
      dup: ((chunk[start] as number) & DUP_FLAG) !== 0,
    };
    state.inFlight++;
    takenTotal++;
    deps.authorizePublish(state.client, packet, (err) => {
      inFlightDone(socket, state);
      if (err !== null && err !== undefined) {
        // As Aedes does when authorizePublish fails: the client errors and its connection closes.
        // Never inside the socket's push (a refusal can be synchronous): on the next tick.
        process.nextTick(() => {
          if (!socket.destroyed) state.client.emit('error', err);
        });
        return;
      }
      acknowledge(socket, messageId);
      deps.forward(packet);
    });
    return true;
  }

  /** Takes the PUBLISH starting at `start` if it is a complete QoS 1 readings publish: its end, or -1 (Aedes'). */
  function tryTake(socket: FastPathSocket, state: ConnectionState, chunk: Buffer, start: number): number {
    if (((chunk[start] as number) & ~DUP_FLAG) !== PUBLISH_QOS1) return -1;
    // Remaining Length [MQTT-2.2.3]: at most 4 bytes; the scanner has already refused longer.
    let remaining = 0;
    let scale = 1;
    let at = start + 1;
    for (; at < chunk.length; at++) {
      const byte = chunk[at] as number;
      remaining += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) break;
    }
    if (at >= chunk.length) return -1; // the header runs into the next chunk
    const end = at + 1 + remaining;
    if (end > chunk.length) return -1; // so does this packet, and it is the chunk's last
    return take(socket, state, chunk, start, at + 1, end) ? end : -1;
  }

  return {
    attach: attachConnection,

    split(socket: FastPathSocket, chunk, packetStarts) {
      const state = socket[STATE];
      if (state === undefined || state.ended) return undefined;
      let kept: Buffer[] | undefined;
      let keptFrom = 0;
      let took = false;
      for (const [i, start] of packetStarts.entries()) {
        const type = chunk[start] as number;
        if (type === DISCONNECT) {
          state.ended = true;
          break;
        }
        if (!isPublish(type)) continue;
        const end = state.withAedes > 0 ? -1 : tryTake(socket, state, chunk, start);
        if (end < 0) {
          // This PUBLISH and every later one in the chunk are Aedes': count them, take no more.
          for (const later of packetStarts.slice(i)) if (isPublish(chunk[later] as number)) state.withAedes++;
          break;
        }
        took = true;
        kept ??= [];
        if (start > keptFrom) kept.push(chunk.subarray(keptFrom, start));
        keptFrom = end;
      }
      if (!took) return undefined;
      // A packet was received: as for every packet Aedes parses, the keepalive starts again.
      (state.client as KeepaliveClient)._keepaliveTimer?.refresh();
      if (keptFrom < chunk.length) kept?.push(chunk.subarray(keptFrom));
      return kept;
    },

    publishedByAedes,
    mayRead: connectionMayRead,
    taken: () => takenTotal,
  };
}
