// A TCP proxy at the broker's door that reads the MQTT packets passing both ways: readings
// publishes arriving from the agent, PUBACKs leaving for it. What it counts as unacknowledged at
// any moment (arrived, PUBACK not yet sent back) is never more than the agent has in flight, so
// its maximum is a lower bound of the agent's window, taken from outside the agent. It may hold the
// broker's answers for a moment (`holdAcksMs`) so that the agent's window fills, as it does behind
// a broker or a link slower than loopback.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parser, type Packet } from 'mqtt-packet';
import { decodeContainer } from '../../proto/container.js';
import { parseAgentTopic } from '../../proto/topics.js';

export interface InFlightTap {
  readonly url: string;
  /** Seqs of readings publishes as they arrived, per agent, resends included. */
  readonly arrivals: Map<string, number[]>;
  /** Most readings publishes unacknowledged at once on one connection. */
  maxUnacknowledged(): number;
  /** performance.now() of the first readings publish and of the last PUBACK sent back. */
  span(): { readonly firstPublishMs: number; readonly lastAckMs: number };
  close(): Promise<void>;
}

export async function startInFlightTap(targetPort: number, options: { readonly holdAcksMs?: number } = {}): Promise<InFlightTap> {
  const arrivals = new Map<string, number[]>();
  const sockets = new Set<Socket>();
  let max = 0;
  let firstPublishMs = Number.NaN;
  let lastAckMs = Number.NaN;

  const server: Server = createServer((agent) => {
    const broker = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [agent, broker]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    agent.on('close', () => broker.destroy());
    broker.on('close', () => agent.destroy());
    const unacknowledged = new Set<number>(); // message ids of readings publishes on this connection

    const fromAgent = parser();
    fromAgent.on('packet', (packet: Packet) => {
      if (packet.cmd !== 'publish' || packet.qos !== 1 || packet.messageId === undefined) return;
      const topic = parseAgentTopic(packet.topic);
      if (topic?.kind !== 'readings') return;
      if (Number.isNaN(firstPublishMs)) firstPublishMs = performance.now();
      unacknowledged.add(packet.messageId);
      max = Math.max(max, unacknowledged.size);
      const seqs = arrivals.get(topic.agentId) ?? [];
      seqs.push(decodeContainer(packet.payload as Buffer).seq);
      arrivals.set(topic.agentId, seqs);
    });
    const toAgent = parser();
    toAgent.on('packet', (packet: Packet) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined && unacknowledged.delete(packet.messageId)) lastAckMs = performance.now();
    });

    agent.on('data', (data: Buffer) => {
      fromAgent.parse(data); // counted before the broker can have answered it
      broker.write(data);
    });
    let held: Buffer[] = [];
    const release = (): void => {
      const data = Buffer.concat(held);
      held = [];
      toAgent.parse(data); // counted as sent once it leaves for the agent
      agent.write(data);
    };
    broker.on('data', (data: Buffer) => {
      if (options.holdAcksMs === undefined) {
        toAgent.parse(data);
        agent.write(data);
        return;
      }
      if (held.length === 0) setTimeout(release, options.holdAcksMs);
      held.push(data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    arrivals,
    maxUnacknowledged: () => max,
    span: () => ({ firstPublishMs, lastAckMs }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
