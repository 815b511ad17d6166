// A bare Aedes broker on a free port that a test can take away and bring back on the same port,
// with a log of what agents published (in the order the broker received it).
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { decodeContainer, type ReadingContainer } from '../../proto/container.js';
import { parseAgentTopic } from '../../proto/topics.js';

export interface StatusEvent {
  readonly agentId: string;
  readonly payload: string;
}

export interface BareAedes {
  readonly aedes: Aedes;
  readonly port: number;
  readonly url: string;
  /** Every readings publish received, resends included. */
  readonly readings: ReadingContainer[];
  readonly statuses: StatusEvent[];
  /** Stops listening and cuts every connection; retained messages survive. */
  goAway(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  /** Closes one client's connection from the broker side, without DISCONNECT (its will fires). */
  dropClient(clientId: string): boolean;
  /** A ws:// listener on another free port; resolves to its URL. */
  listenWebSocket(): Promise<string>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export async function startBareAedes(): Promise<BareAedes> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const clients = new Map<string, Client>();
  const readings: ReadingContainer[] = [];
  const statuses: StatusEvent[] = [];
  aedes.on('client', (client) => clients.set(client.id, client));
  aedes.on('publish', (packet) => {
    const topic = parseAgentTopic(packet.topic);
    if (topic?.kind === 'readings') readings.push(decodeContainer(packet.payload as Buffer));
    if (topic?.kind === 'status') statuses.push({ agentId: topic.agentId, payload: packet.payload.toString() });
  });
  const newServer = (): Server =>
    createServer((socket) => {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      aedes.handle(socket);
    });
  let server = newServer();
  const port = await listen(server, 0);
  let wss: WebSocketServer | undefined;

  const goAway = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    aedes,
    port,
    url: `mqtt://127.0.0.1:${port}`,
    readings,
    statuses,
    goAway,
    async comeBack() {
      server = newServer();
      await listen(server, port);
    },
    dropClient(clientId) {
      const client = clients.get(clientId);
      client?.conn.destroy();
      return client !== undefined;
    },
    async listenWebSocket() {
      wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
      await new Promise((resolve) => wss?.once('listening', resolve));
      const address = wss.address();
      return `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/mqtt`;
    },
    async close() {
      if (server.listening) await goAway();
      for (const ws of wss?.clients ?? []) ws.terminate();
      await new Promise<void>((resolve) => (wss === undefined ? resolve() : wss.close(() => resolve())));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
