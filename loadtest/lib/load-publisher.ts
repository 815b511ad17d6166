// A rate-controlled fleet of MQTT publishers for benchmarks: N connections, each publishing
// ReadingContainers at QoS1, measuring publish→PUBACK latency per message.
import type { Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { encodeContainer, type Measurement } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';

export interface LoadOptions {
  readonly brokerUrl: string;
  readonly connections: number;
  /** Total messages per second across all connections; 0 = as fast as PUBACKs come back. */
  readonly targetRate: number;
  readonly readingsPerMessage: number;
  readonly durationMs: number;
  /** Unacknowledged publishes allowed per connection before it waits. */
  readonly windowPerConnection: number;
  readonly householdPrefix?: string;
}

export interface LoadResult {
  readonly sent: number;
  readonly acked: number;
  readonly readingsAcked: number;
  readonly elapsedMs: number;
  readonly ackLatenciesMs: number[];
  /** When each acknowledged publish was sent (ms since the run started), parallel to ackLatenciesMs. */
  readonly ackSentAtMs: number[];
  /** Publishes skipped because a connection's window was full (the broker fell behind the target). */
  readonly behind: number;
}

interface Publisher {
  readonly client: MqttClient;
  readonly householdId: string;
  readonly agentId: string;
  readonly baseMs: number;
  seq: number;
  inFlight: number;
}

function container(p: Publisher, readings: number, nowMs: number): Buffer {
  // Timestamps must differ per container of one agent or its points would overwrite each other:
  // seq is unique per agent, so stamp seq milliseconds after a fixed base (an hour back).
  const timestampMs = p.baseMs + p.seq;
  const measurements: Measurement[] = [];
  for (let i = 0; i < readings; i++) {
    measurements.push({ deviceId: `socket-${i}`, quantity: 'power_w', value: (p.seq * 7 + i) % 3000, timestampMs });
  }
  return Buffer.from(encodeContainer({ householdId: p.householdId, agentId: p.agentId, seq: p.seq, createdAtMs: nowMs, measurements }));
}

export async function connectPublishers(options: LoadOptions): Promise<Publisher[]> {
  const prefix = options.householdPrefix ?? 'bench';
  return Promise.all(
    Array.from({ length: options.connections }, async (_, i) => {
      const agentId = `agent-${i}`;
      const client = await connectAsync(options.brokerUrl, { clientId: `${prefix}-${agentId}`, reconnectPeriod: 0, clean: true });
      (client.stream as Socket).setNoDelay?.(true);
      return { client, householdId: `${prefix}-h${i}`, agentId, baseMs: Date.now() - 3_600_000, seq: 0, inFlight: 0 };
    }),
  );
}

export async function runLoad(publishers: Publisher[], options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const sentAt: number[] = [];
  let sent = 0;
  let acked = 0;
  let behind = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const publishOne = (p: Publisher, onAck: () => void): void => {
    p.seq++;
    p.inFlight++;
    sent++;
    const t0 = performance.now();
    p.client.publish(readingsTopic(p.householdId, p.agentId), container(p, options.readingsPerMessage, Date.now()), { qos: 1 }, (err) => {
      p.inFlight--;
      if (err) return;
      acked++;
      latencies.push(performance.now() - t0);
      sentAt.push(t0 - started);
      onAck();
    });
  };

  if (options.targetRate === 0) {
    // Closed loop: every connection keeps its window full until the deadline.
    await new Promise<void>((resolve) => {
      let open = publishers.length;
      for (const p of publishers) {
        const refill = (): void => {
          if (performance.now() >= deadline) {
            if (p.inFlight === 0 && --open === 0) resolve();
            return;
          }
          while (p.inFlight < options.windowPerConnection) publishOne(p, refill);
        };
        refill();
      }
    });
  } else {
    // Open loop: a 1 ms ticker releases the messages due by elapsed time, round-robin over
    // connections. Releasing by elapsed time keeps the rate exact when timers fire late; a short
    // tick keeps arrivals smooth, as from many independent devices, instead of 10 ms bursts that
    // would measure our own burstiness rather than the broker.
    let next = 0;
    let due = 0;
    let last = started;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (now >= deadline) {
          clearInterval(timer);
          resolve();
          return;
        }
        due += (options.targetRate * (now - last)) / 1000;
        last = now;
        while (due >= 1) {
          due--;
          const p = publishers[next++ % publishers.length]!;
          if (p.inFlight >= options.windowPerConnection) behind++;
          else publishOne(p, () => undefined);
        }
      }, 1);
    });
    const drainUntil = performance.now() + 30_000;
    while (publishers.some((p) => p.inFlight > 0) && performance.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const elapsedMs = performance.now() - started;
  return { sent, acked, readingsAcked: acked * options.readingsPerMessage, elapsedMs, ackLatenciesMs: latencies, ackSentAtMs: sentAt, behind };
}

export async function disconnectPublishers(publishers: Publisher[]): Promise<void> {
  await Promise.all(publishers.map((p) => p.client.endAsync()));
}
