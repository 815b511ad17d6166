// A rate-controlled fleet of simulated agents over MQTT connections (QoS 0 or 1), reporting each
// send and acknowledgement as it happens so the caller can print a live line and draw per-second
// series; agents are multiplexed over connections, payloads can be padded. bench:ingest drives
// its phases with it too.
// QoS 1 publishes go over bare sockets (lib/raw-mqtt-publisher.ts), as bench:live's do: the
// generator shares the two cores with what it measures, and with MQTT.js it took about half a core
// in the closed loop, the largest share of any process (docs/benchmarks.md). QoS 0 keeps MQTT.js.
import type { Socket } from 'node:net';
import { connectAsync } from 'mqtt';
import { readingsTopic } from '../../proto/topics.js';
import { connectRawPublisher } from '../lib/raw-mqtt-publisher.js';
import { createPayloadWriter, type AgentIdentity } from './payload.js';

export interface FleetOptions {
  readonly brokerUrl: string;
  readonly agents: number;
  readonly connections: number;
  /** Messages/s across the fleet; 0 = closed loop, every connection keeps its window full. */
  readonly rate: number;
  readonly readings: number;
  readonly qos: 0 | 1;
  readonly payloadBytes: number;
  readonly durationMs: number;
  readonly window: number;
  readonly householdPrefix: string;
}

export interface FleetEvents {
  /** Aborted: stop sending now and return what was acknowledged. */
  readonly signal: AbortSignal;
  /** `atMs` since the run started; `count` units (default 1: one message). */
  onSent(atMs: number, count?: number): void;
  /** QoS1: the PUBACK arrived; QoS0: the publish was written to the socket. */
  onAck(atMs: number, latencyMs: number, count?: number): void;
}

export interface FleetResult {
  readonly sent: number;
  readonly acked: number;
  readonly behind: number;
  /** Publishes that ended in an error (connection closed or refused); their connection stops sending. */
  readonly failed: number;
  readonly elapsedMs: number;
  readonly latenciesMs: readonly number[];
}

/** One MQTT connection as the fleet uses it. */
interface FleetLink {
  /** `done(true)`: the publish failed (the connection stops sending). */
  publish(topic: string, payload: Uint8Array, done: (failed: boolean) => void): void;
  /** Runs once when the connection closes; the returned function unregisters it. */
  onClose(listener: () => void): () => void;
  /** `force`: do not wait for unacknowledged publishes. */
  close(force: boolean): Promise<void>;
}

async function connectLink(brokerUrl: string, clientId: string, qos: 0 | 1): Promise<FleetLink> {
  if (qos === 1) {
    const raw = await connectRawPublisher(brokerUrl, clientId);
    return { publish: (topic, payload, done) => raw.publish(topic, payload, () => done(false)), onClose: (l) => raw.onClose(l), close: () => raw.close() };
  }
  const client = await connectAsync(brokerUrl, { clientId, reconnectPeriod: 0, clean: true });
  // Nagle would add ~10 ms to small publishes (device-agent/README.md, "MQTT"): measure the broker, not the kernel.
  (client.stream as Socket).setNoDelay?.(true);
  let broken = false;
  // Without a listener an 'error' event would end the whole run; a failed publish is counted instead.
  client.on('error', () => (broken = true));
  return {
    publish: (topic, payload, done) =>
      client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 0 }, (err) => done(broken || (err !== undefined && err !== null))),
    onClose(listener) {
      client.once('close', listener);
      return () => client.off('close', listener);
    },
    // A closed connection's end() would wait for its unacknowledged publishes: force it.
    close: (force) => client.endAsync(force),
  };
}

/** An agent as the fleet drives it: its topic and payload writer made once, its sequence number. */
interface FleetAgent {
  readonly topic: string;
  readonly payload: (seq: number, nowMs: number) => Uint8Array;
  seq: number;
}

interface Connection {
  readonly link: FleetLink;
  readonly agents: FleetAgent[];
  nextAgent: number;
  inFlight: number;
  /** A publish failed or the connection closed (reconnectPeriod 0, so it stays closed): it sends no more. */
  broken: boolean;
  /** Closed during a run: its in-flight publishes were counted as failed (MQTT.js keeps them for a resend that never comes). */
  closed: boolean;
  /** The closed loop's refill for this connection, so a close can end its share of the run. */
  wake: (() => void) | undefined;
}

export interface Fleet {
  run(events: FleetEvents): Promise<FleetResult>;
  close(): Promise<void>;
}

export async function connectFleet(options: FleetOptions): Promise<Fleet> {
  const baseMs = Date.now() - 3_600_000;
  const connections: Connection[] = await Promise.all(
    Array.from({ length: options.connections }, async (_, c) => {
      const link = await connectLink(options.brokerUrl, `${options.householdPrefix}-c${c}`, options.qos);
      const connection: Connection = { link, agents: [], nextAgent: 0, inFlight: 0, broken: false, closed: false, wake: undefined };
      return connection;
    }),
  );
  for (let a = 0; a < options.agents; a++) {
    const identity: AgentIdentity = { householdId: `${options.householdPrefix}-h${a}`, agentId: `agent-${a}`, baseMs };
    connections[a % connections.length]!.agents.push({
      topic: readingsTopic(identity.householdId, identity.agentId),
      payload: createPayloadWriter(identity, options.readings, options.payloadBytes),
      seq: 0,
    });
  }
  return {
    run: (events) => runFleet(connections, options, events),
    close: async () => {
      await Promise.all(connections.map((c) => c.link.close(c.broken)));
    },
  };
}

async function runFleet(connections: Connection[], options: FleetOptions, events: FleetEvents): Promise<FleetResult> {
  const latenciesMs: number[] = [];
  let sent = 0;
  let acked = 0;
  let behind = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const over = (now: number): boolean => now >= deadline || events.signal.aborted;
  const unlisten: (() => void)[] = [];
  for (const c of connections) {
    unlisten.push(
      c.link.onClose(() => {
        if (c.closed) return;
        c.closed = true;
        c.broken = true;
        failed += c.inFlight;
        c.inFlight = 0;
        c.wake?.();
      }),
    );
  }

  const publishOne = (c: Connection, onDone: () => void): void => {
    const agent = c.agents[c.nextAgent++ % c.agents.length]!;
    agent.seq++;
    c.inFlight++;
    sent++;
    const t0 = performance.now();
    events.onSent(t0 - started);
    const payload = agent.payload(agent.seq, Date.now());
    c.link.publish(agent.topic, payload, (publishFailed) => {
      if (c.closed) return; // already counted as failed when the connection closed
      c.inFlight--;
      if (!publishFailed) {
        const now = performance.now();
        acked++;
        latenciesMs.push(now - t0);
        events.onAck(now - started, now - t0);
      } else {
        failed++;
        c.broken = true;
      }
      onDone();
    });
  };

  if (options.rate === 0) {
    await new Promise<void>((resolve) => {
      // Unanswered publishes (a broker that stopped reading) must not hang the run.
      const giveUp = setTimeout(resolve, options.durationMs + 30_000);
      giveUp.unref();
      let open = connections.length;
      for (const c of connections) {
        let finished = false; // a publish error and the close that follows both land here
        const refill = (): void => {
          if (over(performance.now()) || c.broken) {
            if (c.inFlight === 0 && !finished) {
              finished = true;
              if (--open === 0) resolve();
            }
            return;
          }
          while (c.inFlight < options.window && !c.broken) publishOne(c, refill);
        };
        c.wake = refill;
        refill();
      }
    });
  } else {
    // Released by elapsed time on a 1 ms ticker: exact rate when timers fire late, smooth arrivals.
    let next = 0;
    let due = 0;
    let last = started;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (over(now)) {
          clearInterval(timer);
          resolve();
          return;
        }
        due += (options.rate * (now - last)) / 1000;
        last = now;
        while (due >= 1) {
          due--;
          const c = connections[next++ % connections.length]!;
          if (c.broken) failed++;
          else if (c.inFlight >= options.window) behind++;
          else publishOne(c, () => undefined);
        }
      }, 1);
    });
    const drainUntil = performance.now() + (events.signal.aborted ? 2_000 : 30_000);
    while (connections.some((c) => c.inFlight > 0) && performance.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  for (const stop of unlisten) stop();
  for (const c of connections) c.wake = undefined;
  return { sent, acked, behind, failed, elapsedMs: performance.now() - started, latenciesMs };
}
