// Publishes ReadingContainers for many households at a steady total rate over a few MQTT
// connections (QoS1, as agents do). The first reading's value is the publish time in
// high-resolution epoch ms, so a viewer can measure publish→screen latency without a side channel.
// The connections are bare sockets (raw-mqtt-publisher.ts): the generator shares the cores with
// the broker and the read service it measures; at 5,000 msgs/s this process took 41 % of a core
// with MQTT.js and takes 29 % this way.
import { encodeContainer, type Measurement } from '../../proto/container.js';
import { readingsTopic } from '../../proto/topics.js';
import { connectRawPublisher, type RawPublisher } from '../lib/raw-mqtt-publisher.js';

export interface TimestampedLoad {
  readonly brokerUrl: string;
  readonly connections: number;
  readonly householdIds: readonly string[];
  readonly ratePerSecond: number;
  readonly readingsPerMessage: number;
}

export interface PublishRun {
  readonly sent: number;
  readonly acked: number;
  readonly elapsedMs: number;
  /** publish→PUBACK per acknowledged message: the broker's share of publish→SSE. */
  readonly ackLatenciesMs: number[];
}

/** Told of every publish and PUBACK as it happens (perftest's live line); times since the run started. */
export interface PublishEvents {
  readonly signal?: AbortSignal;
  onSent(atMs: number): void;
  onAck(atMs: number, latencyMs: number): void;
}

export interface TimestampedPublisher {
  run(durationMs: number, events?: PublishEvents): Promise<PublishRun>;
  close(): Promise<void>;
}

const wallNow = (): number => performance.timeOrigin + performance.now();

export async function startTimestampedPublisher(load: TimestampedLoad): Promise<TimestampedPublisher> {
  const clients: RawPublisher[] = await Promise.all(
    Array.from({ length: load.connections }, (_, i) => connectRawPublisher(load.brokerUrl, `live-bench-${i}`)),
  );
  const seqs = new Map<string, number>();
  const payload = (householdId: string, agentId: string): Buffer => {
    const seq = (seqs.get(householdId) ?? 0) + 1;
    seqs.set(householdId, seq);
    const sentAt = wallNow();
    const measurements: Measurement[] = [];
    for (let i = 0; i < load.readingsPerMessage; i++) {
      measurements.push({ deviceId: `socket-${i}`, quantity: 'power_w', value: i === 0 ? sentAt : 100 + i, timestampMs: Math.floor(sentAt) });
    }
    return Buffer.from(encodeContainer({ householdId, agentId, seq, createdAtMs: Math.floor(sentAt), measurements }));
  };
  return {
    async run(durationMs, events) {
      let sent = 0;
      let acked = 0;
      const ackLatenciesMs: number[] = [];
      let next = 0;
      let due = 0;
      const started = performance.now();
      let last = started;
      // A 1 ms ticker releasing what is due by elapsed time: smooth arrivals, exact rate.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const now = performance.now();
          if (now - started >= durationMs || events?.signal?.aborted === true) {
            clearInterval(timer);
            resolve();
            return;
          }
          due += (load.ratePerSecond * (now - last)) / 1000;
          last = now;
          while (due >= 1) {
            due -= 1;
            const index = next++ % load.householdIds.length;
            const householdId = load.householdIds[index] as string;
            const client = clients[index % clients.length] as RawPublisher;
            sent += 1;
            const t0 = performance.now();
            events?.onSent(t0 - started);
            client.publish(readingsTopic(householdId, `agent-${householdId}`), payload(householdId, `agent-${householdId}`), () => {
              acked += 1;
              const ackedAt = performance.now();
              ackLatenciesMs.push(ackedAt - t0);
              events?.onAck(ackedAt - started, ackedAt - t0);
            });
          }
        }, 1);
      });
      return { sent, acked, elapsedMs: performance.now() - started, ackLatenciesMs };
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
