// Network edges of the broker: MQTT over TCP and MQTT over WebSocket. The packet-size and
// per-connection byte caps apply to both: on TCP, where the (many, mostly idle) agents are, they are
// put on the socket itself (socket-guard.ts, no wrapper stream per connection); WebSocket streams are
// wrapped in a GuardedConnection.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { GuardedConnection } from './guarded-connection.js';
import type { BrokerMetrics } from './metrics.js';
import { createSocketGuard } from './socket-guard.js';
import type { ReadingsFastPath } from './readings-fast-path.js';

export interface ListenerOptions {
  readonly host: string;
  readonly maxPacketBytes: number;
  readonly maxBufferedBytesPerConnection: number;
  readonly maxOutgoingBytesPerConnection: number;
  readonly onOversize: (reason: string, listener: string) => void;
  /** TCP only: readings publishes taken before Aedes parses them. */
  readonly fastPath?: ReadingsFastPath;
}

export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

function countConnection(socket: Duplex, listener: string, metrics: BrokerMetrics, onClose: () => void): void {
  metrics.connections.inc();
  metrics.connectionsTotal.inc({ listener });
  socket.once('close', onClose);
}

function attachWebSocket(
  aedes: Aedes,
  socket: Duplex,
  remoteAddress: string | undefined,
  options: ListenerOptions,
  metrics: BrokerMetrics,
  onClose: () => void,
): void {
  const listener = 'ws';
  const guarded = new GuardedConnection(socket, {
    remoteAddress,
    maxPacketBytes: options.maxPacketBytes,
    maxBufferedBytes: options.maxBufferedBytesPerConnection,
    maxOutgoingBytes: options.maxOutgoingBytesPerConnection,
    onOversize: (reason) => options.onOversize(reason, listener),
  });
  countConnection(guarded, listener, metrics, onClose);
  aedes.handle(guarded);
}

async function listen(server: TcpServer | HttpServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: TcpServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function listenTcp(aedes: Aedes, port: number, options: ListenerOptions, metrics: BrokerMetrics): Promise<Listener> {
  const guard = createSocketGuard({
    maxPacketBytes: options.maxPacketBytes,
    maxOutgoingBytes: options.maxOutgoingBytesPerConnection,
    onOversize: (reason) => options.onOversize(reason, 'tcp'),
    ...(options.fastPath === undefined ? {} : { fastPath: options.fastPath }),
  });
  // One close handler for every connection of this listener, not a closure each.
  const onClose = (): void => metrics.connections.dec();
  // noDelay: Nagle's algorithm would hold small PUBACKs back for ~10 ms (NOTES.md).
  // highWaterMark: the incoming bytes buffered per connection before Node stops reading the socket.
  const server = createTcpServer({ noDelay: true, highWaterMark: options.maxBufferedBytesPerConnection }, (socket) => {
    guard(socket);
    countConnection(socket, 'tcp', metrics, onClose);
    aedes.handle(socket);
  });
  const bound = await listen(server, port, options.host);
  return { port: bound, close: () => closeServer(server) };
}

export async function listenWebSocket(
  aedes: Aedes,
  port: number,
  options: ListenerOptions,
  metrics: BrokerMetrics,
): Promise<Listener> {
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('MQTT over WebSocket: connect with a WebSocket client (subprotocol "mqtt")\n');
  });
  const wss = new WebSocketServer({
    server: http,
    maxPayload: options.maxPacketBytes + 5,
    // MQTT over WebSocket uses the subprotocol "mqtt" (MQTT 3.1.1 §6); accept clients that send none.
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false),
  });
  const onClose = (): void => metrics.connections.dec();
  wss.on('connection', (ws, request) => {
    (ws as unknown as { _socket?: { setNoDelay?: (v: boolean) => void } })._socket?.setNoDelay?.(true);
    // The upgrade's TCP peer, a reverse proxy's address if there is one: X-Forwarded-For is not
    // read, as the broker has no list of proxies to trust it from (client-address.ts).
    attachWebSocket(aedes, createWebSocketStream(ws), request.socket.remoteAddress, options, metrics, onClose);
  });
  const bound = await listen(http, port, options.host);
  return {
    port: bound,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(http);
    },
  };
}
