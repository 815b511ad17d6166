// Moves outbox entries onto the current connection: oldest first, QoS1, at most `maxInFlight`
// unacknowledged. An entry leaves the outbox only when its PUBACK arrives [MQTT-4.3.2-2: a QoS1
// PUBLISH stays unacknowledged until its PUBACK]. When the connection goes, everything in flight
// is pending again and goes out anew on the next one: at-least-once; replays are harmless.
import type { MqttClient } from 'mqtt';
import { FlushTimeoutError } from '../../lib/journal/flush-time-limit.js';
import type { Logger } from '../../lib/log.js';
import type { AgentMetrics, OutboxRemovalFailureReason } from '../agent-metrics.js';
import type { Clock } from '../clock.js';
import type { AgentOutbox, OutboxEntry } from '../outbox.js';
import { InFlightWindow } from './in-flight-window.js';

export interface OutboxPumpOptions {
  readonly outbox: AgentOutbox;
  readonly topic: string;
  readonly maxInFlight: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: AgentMetrics;
}

export interface OutboxPump {
  /** A connection is up (CONNACK received): publish through this client. */
  attach(client: MqttClient): void;
  /** The connection is gone: what was in flight is pending again. */
  detach(): void;
  /** Sends what the window allows; call when the outbox has something new. */
  pump(): void;
  /** Stops sending more; true once nothing is in flight, false on timeout or connection loss. */
  drain(timeoutMs: number): Promise<boolean>;
  stats(): { readonly inFlight: number; readonly published: number; readonly acked: number };
}

export function createOutboxPump(options: OutboxPumpOptions): OutboxPump {
  const { outbox, clock, log, metrics } = options;
  const window = new InFlightWindow();
  const counts = { published: 0, acked: 0 };
  let client: MqttClient | undefined;
  let generation = 0; // one per connection: callbacks of an older connection are ignored
  let draining = false;
  let onIdle: (() => void) | undefined;

  const send = (c: MqttClient, entry: OutboxEntry): void => {
    const gen = generation;
    window.sent(entry.seq, clock.monotonicMs());
    counts.published++;
    metrics.published.inc();
    // After a reconnect this is a new PUBLISH in a new clean session (new packet id, DUP 0);
    // downstream recognises a replay by (agent, seq), never by packet id.
    const payload = Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength);
    c.publish(options.topic, payload, { qos: 1 }, (err) => {
      if (gen !== generation) return; // that connection is gone and the entry is pending again
      if (err) {
        failed(c, gen, entry.seq, err);
        return;
      }
      acked(entry.seq);
    });
  };

  // A publish fails when its connection goes (MQTT.js fails every one in flight at once, with
  // "Connection closed") or, never seen, while the connection stays up. Either way the connection
  // is ended so that everything in flight goes out again on the next one. Once per connection,
  // and never from inside this callback: MQTT.js calls it while it walks its table of in-flight
  // publishes (_flush), and ending the client there empties that table under its feet (a
  // TypeError that killed the agent on a keep-alive timeout with 2+ publishes in flight).
  let failedGeneration = -1;
  const failed = (c: MqttClient, gen: number, seq: number, err: Error): void => {
    if (failedGeneration === gen) return;
    failedGeneration = gen;
    // While stopping, the connection is being closed on purpose: not a failure worth a warning.
    log[draining ? 'debug' : 'warn']({ seq, inFlight: window.size, err: err.message }, 'publish failed; reconnecting');
    queueMicrotask(() => c.end(true)); // → close → detach → everything in flight goes out on the next connection
  };

  const pump = (): void => {
    while (client !== undefined && !draining && window.size < options.maxInFlight) {
      const entries = outbox.peek({ afterSeq: window.cursor, limit: options.maxInFlight - window.size });
      if (entries.length === 0) return;
      for (const entry of entries) {
        if (window.isSettling(entry.seq)) window.skip(entry.seq);
        else send(client, entry);
      }
    }
  };

  // From a promise continuation a throw (say, the store closed during shutdown) would be an
  // unhandled rejection that ends the process; there it is logged, and the next attach retries.
  const pumpLater = (): void => {
    try {
      pump();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'outbox read failed; sending resumes on the next attach');
    }
  };

  // Seqs whose removal failed (a full card, a commit not confirmed in time): the broker has them,
  // only the outbox still holds them. Each is removed again once a later removal succeeds, which
  // says the card takes commits again, so an entry does not sit on a full card until the next
  // connection resends it (on a connection that lasts for days, that could be days). Across a
  // reconnect they stay here: the resend's PUBACK may remove an entry first (a retry then finds it
  // gone, which is no error).
  const unremoved = new Set<number>();

  const remove = (seq: number, retry: boolean): void => {
    outbox.remove(seq).then(
      () => {
        if (retry) {
          log.info({ seq }, 'outbox removal retried: the entry is gone');
          return;
        }
        window.removed(seq);
        retryRemovals();
        pumpLater();
      },
      // The entry is past this connection's cursor, so the connection does not send it again; a
      // later successful removal retries it, and the next connection resends it if it is still
      // there. Not "will be resent": a timed-out commit may land late and remove it first.
      (err: unknown) => {
        if (!retry) window.removed(seq);
        unremoved.add(seq);
        const reason: OutboxRemovalFailureReason = err instanceof FlushTimeoutError ? 'timeout' : 'error';
        metrics.outboxRemovalFailures.inc({ reason });
        log.error(
          { seq, reason, retry, err: (err as Error).message },
          'outbox removal failed; the entry stays until this removal commits late or a later one succeeds, and may be resent',
        );
      },
    );
  };

  /** Removes again every entry whose removal failed; called after a removal that succeeded. */
  const retryRemovals = (): void => {
    if (unremoved.size === 0) return;
    const seqs = [...unremoved];
    unremoved.clear(); // a retry that fails puts its seq back
    for (const seq of seqs) remove(seq, true);
  };

  const acked = (seq: number): void => {
    const sentAtMs = window.acked(seq);
    if (sentAtMs === undefined) return;
    counts.acked++;
    metrics.acked.inc();
    metrics.ackLatency.observe((clock.monotonicMs() - sentAtMs) / 1000);
    remove(seq, false);
    if (window.size === 0) onIdle?.();
    pump();
  };

  return {
    attach(c) {
      generation++;
      client = c;
      pump();
    },
    detach() {
      generation++;
      client = undefined;
      window.reset();
      onIdle?.();
    },
    pump,
    drain(timeoutMs) {
      draining = true;
      return new Promise((resolve) => {
        if (window.size === 0) return resolve(client !== undefined);
        const finish = (idle: boolean): void => {
          clock.clearTimeout(timer);
          onIdle = undefined;
          resolve(idle);
        };
        const timer = clock.setTimeout(() => finish(false), timeoutMs);
        onIdle = () => finish(client !== undefined && window.size === 0);
      });
    },
    stats: () => ({ inFlight: window.size, ...counts }),
  };
}
