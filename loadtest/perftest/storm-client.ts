// One storm client process (forked by storm-fleet.ts): opens `count` idle MQTT connections to one
// broker at a paced rate, spread over several 127.0.0.x source addresses, keeps them alive with
// PINGREQ, and reports to its parent over IPC once a second. A process may hold at most 20,000
// open files here, so 19,000 agents take several of these.
import { connect, type Socket } from 'node:net';
import { connectPacket, PINGREQ, readConnack } from './storm-packets.js';

export interface StormClientConfig {
  readonly host: string;
  readonly port: number;
  /** Index of this process's first agent in the whole storm (client ids and source addresses). */
  readonly firstAgent: number;
  readonly count: number;
  /** Connections/s this process opens; 0 = as fast as CONNACKs come back (`maxPending` at once). */
  readonly ratePerS: number;
  readonly maxPending: number;
  readonly keepaliveS: number;
  readonly sourceAddresses: readonly string[];
  readonly clientIdPrefix: string;
}

/** What a client process tells its parent each second (deltas since the last report). */
export interface StormClientReport {
  readonly kind: 'report';
  readonly connected: number;
  readonly failed: number;
  readonly lost: number;
  readonly connackMs: readonly number[];
  readonly attemptedAll: boolean;
  /** Epoch ms of this process's first connection attempt and of its latest CONNACK (for the connect rate). */
  readonly firstAttemptAtMs: number | undefined;
  readonly lastConnackAtMs: number | undefined;
  readonly firstError: string | undefined;
}

export type StormParentMessage = { readonly kind: 'close' };

const given = JSON.parse(process.env.EM_STORM_CLIENT ?? 'null') as StormClientConfig | null;
if (given === null || typeof process.send !== 'function') {
  console.error('storm-client: run by storm-fleet.ts (fork with EM_STORM_CLIENT)');
  process.exit(2);
}
const config: StormClientConfig = given;
const send = process.send.bind(process);

const sockets = new Set<Socket>();
let connected = 0;
let failed = 0;
let lost = 0;
let pending = 0;
let attempted = 0;
let closing = false;
let firstError: string | undefined;
let connackMs: number[] = [];
let firstAttemptAtMs: number | undefined;
let lastConnackAtMs: number | undefined;

function openOne(agent: number): void {
  pending++;
  attempted++;
  firstAttemptAtMs ??= Date.now();
  const socket = connect({ host: config.host, port: config.port, localAddress: config.sourceAddresses[agent % config.sourceAddresses.length] });
  let sentAt = 0;
  let acked = false;
  let head = Buffer.alloc(0);
  const settle = (ok: boolean, error?: string): void => {
    if (acked) return;
    acked = true;
    pending--;
    if (ok) {
      connected++;
      sockets.add(socket);
      connackMs.push(performance.now() - sentAt);
      lastConnackAtMs = Date.now();
    } else {
      failed++;
      firstError ??= error;
      socket.destroy();
    }
    pump();
  };
  socket.setNoDelay(true);
  socket.on('connect', () => {
    sentAt = performance.now();
    socket.write(connectPacket(`${config.clientIdPrefix}-${agent}`, config.keepaliveS));
  });
  socket.on('data', (chunk: Buffer) => {
    if (acked) return; // PINGRESPs: nothing to do
    head = Buffer.concat([head, chunk]);
    if (head.length >= 4) {
      const verdict = readConnack(head);
      settle(verdict.ok, verdict.ok ? undefined : verdict.reason);
    }
  });
  socket.on('error', (error) => settle(false, error.message));
  socket.on('close', () => {
    if (!acked) settle(false, 'closed before CONNACK');
    else if (sockets.delete(socket) && !closing) lost++;
  });
}

// Pacing: at most ratePerS connections started per second (in 10 ms slices), at most maxPending at once.
let next = 0;
const startedAtMs = performance.now();
function pump(): void {
  const allowed = config.ratePerS === 0 ? Number.POSITIVE_INFINITY : Math.floor(((performance.now() - startedAtMs) / 1000) * config.ratePerS) + 1;
  while (!closing && next < config.count && pending < config.maxPending && next < allowed) openOne(config.firstAgent + next++);
}
const pacer = setInterval(() => {
  pump();
  if (next >= config.count) clearInterval(pacer);
}, 10);
pump();

// Keep-alive: every agent sends PINGREQ once per keep-alive period, spread evenly over the period
// (a broker closes a connection silent for 1.5 × keep-alive [MQTT-3.1.2-24]).
let tick = 0;
const keepalive = setInterval(() => {
  tick++;
  let i = 0;
  for (const socket of sockets) if (i++ % config.keepaliveS === tick % config.keepaliveS) socket.write(PINGREQ);
}, 1000);

const reporter = setInterval(() => {
  send({ kind: 'report', connected, failed, lost, connackMs, attemptedAll: attempted >= config.count && pending === 0, firstAttemptAtMs, lastConnackAtMs, firstError } satisfies StormClientReport);
  connected = 0;
  failed = 0;
  lost = 0;
  connackMs = [];
}, 1000);

process.on('message', (message: StormParentMessage) => {
  if (message.kind !== 'close') return;
  closing = true;
  clearInterval(pacer);
  clearInterval(keepalive);
  clearInterval(reporter);
  for (const socket of sockets) socket.destroy();
  process.disconnect();
});
