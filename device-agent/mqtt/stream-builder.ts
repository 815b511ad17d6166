// One transport per URL scheme, built by us rather than by mqtt.connect() so that Nagle's
// algorithm is off on TCP: Nagle holds small writes (a PUBLISH of a few hundred bytes) back until
// the previous one is acknowledged by TCP, adding ~10 ms per message (measured, see NOTES.md).
// MQTT.js' own TCP transport never calls setNoDelay. The ws library disables Nagle on the socket
// under every WebSocket it opens (ws/lib/websocket.js, setSocket), so ws:// and wss:// need
// nothing extra. TLS (mqtts://, wss://) verifies the broker against Node's CA store; a private CA
// is added with NODE_EXTRA_CA_CERTS.
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { StreamBuilder } from 'mqtt';
import WebSocket, { createWebSocketStream } from 'ws';

const DEFAULT_MQTT_PORT = 1883;
/** IANA's port for MQTT over TLS. */
const DEFAULT_MQTTS_PORT = 8883;

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals come bracketed

function tcpBuilder(url: URL): StreamBuilder {
  const host = hostOf(url);
  const port = url.port === '' ? DEFAULT_MQTT_PORT : Number(url.port);
  return () => netConnect({ host, port, noDelay: true });
}

function tlsBuilder(url: URL): StreamBuilder {
  const host = hostOf(url);
  const port = url.port === '' ? DEFAULT_MQTTS_PORT : Number(url.port);
  // SNI carries host names only, never address literals (RFC 6066 §3).
  const servername = isIP(host) === 0 ? host : undefined;
  // TLS over a TCP socket of our own, so that Nagle is off underneath as well.
  return () => tlsConnect({ socket: netConnect({ host, port, noDelay: true }), host, servername });
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
    case 'mqtts:':
    case 'ssl:':
      return tlsBuilder(url);
    case 'ws:':
    case 'wss:':
      return wsBuilder(url);
    default:
      throw new Error(`unsupported broker URL scheme ${url.protocol} (use mqtt://, mqtts://, ws:// or wss://)`);
  }
}
