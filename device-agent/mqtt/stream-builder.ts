// One transport per URL scheme, built by us rather than by mqtt.connect() so that Nagle's
// algorithm is off on TCP: Nagle holds small writes (a PUBLISH of a few hundred bytes) back until
// the previous one is acknowledged by TCP, adding ~10 ms per message (measured, see NOTES.md).
// MQTT.js' own TCP transport never calls setNoDelay. The ws library disables Nagle on the socket
// under every WebSocket it opens (ws/lib/websocket.js, setSocket), so ws:// needs nothing extra.
import { connect as netConnect } from 'node:net';
import type { StreamBuilder } from 'mqtt';
import WebSocket, { createWebSocketStream } from 'ws';

const DEFAULT_MQTT_PORT = 1883;

function tcpBuilder(url: URL): StreamBuilder {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come bracketed
  const port = url.port === '' ? DEFAULT_MQTT_PORT : Number(url.port);
  return () => netConnect({ host, port, noDelay: true });
}

function wsBuilder(url: URL): StreamBuilder {
  return () => {
    // "mqtt" is the WebSocket sub-protocol name MQTT 3.1.1 registers [MQTT-6.0.0-3].
    const socket = new WebSocket(url, ['mqtt']);
    const stream = createWebSocketStream(socket);
    socket.on('close', () => stream.destroy());
    return stream;
  };
}

export function streamBuilderFor(brokerUrl: string): StreamBuilder {
  const url = new URL(brokerUrl);
  switch (url.protocol) {
    case 'mqtt:':
    case 'tcp:':
      return tcpBuilder(url);
    case 'ws:':
      return wsBuilder(url);
    default:
      throw new Error(`unsupported broker URL scheme ${url.protocol} (use mqtt:// or ws://)`);
  }
}
