// The agent's MQTT side: one connection at a time to the broker, an outbox pump on it, the
// retained status, and reconnects with exponential backoff and full jitter (MQTT.js' own
// reconnect is off: reconnectPeriod 0, a fresh client per attempt; see mqtt/mqtt-client-factory.ts).
import type { MqttClient } from 'mqtt';
import { readingsTopic, STATUS_OFFLINE, STATUS_ONLINE, statusTopic } from '../proto/topics.js';
import type { Logger } from '../lib/log.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { Clock, TimerHandle } from './clock.js';
import { DEFAULT_BACKOFF, fullJitterDelayMs, type BackoffOptions } from './mqtt/backoff.js';
import { endClient, publishAcked } from './mqtt/client-calls.js';
import { createMqttClient } from './mqtt/mqtt-client-factory.js';
import { createOutboxPump } from './mqtt/outbox-pump.js';
import type { AgentOutbox } from './outbox.js';

export interface MqttPublisherOptions {
  readonly brokerUrl: string;
  readonly householdId: string;
  readonly agentId: string;
  /** Default: the agent id (the broker authenticates username = agent id). */
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly outbox: AgentOutbox;
  readonly maxInFlight?: number;
  readonly keepaliveS?: number;
  readonly connectTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: Logger;
  readonly metrics: AgentMetrics;
}

export interface PublisherStats {
  readonly connected: boolean;
  readonly inFlight: number;
  readonly published: number;
  readonly acked: number;
  readonly reconnects: number;
}

export interface MqttPublisher {
  start(): void;
  /** Something new is in the outbox. */
  notify(): void;
  /**
   * The agent is stopping (stop() follows once its last container is sealed): connect no more. A
   * connection lost from now on is expected, not a warning: on Ctrl-C under `npm start` the
   * broker gets the same signal and closes every connection while the agents seal.
   */
  beginStop(): void;
  /**
   * Waits up to drainTimeoutMs (default DEFAULT_STOP_GRACE_MS) for in-flight PUBACKs, as long again
   * for the retained `offline` to be acknowledged, and again for the connection to close.
   */
  stop(options?: { readonly drainTimeoutMs?: number }): Promise<void>;
  stats(): PublisherStats;
}

export const DEFAULT_MAX_IN_FLIGHT = 32;
/** How long a stop waits for each of its exchanges with the broker (ms); see stop(). */
export const DEFAULT_STOP_GRACE_MS = 2000;
/** A connection that lasted this long resets the backoff. */
const STABLE_CONNECTION_MS = 30_000;

export function createMqttPublisher(options: MqttPublisherOptions): MqttPublisher {
  const { clock, metrics } = options;
  const log = options.log.child({ agentId: options.agentId });
  const status = statusTopic(options.householdId, options.agentId);
  const pump = createOutboxPump({
    outbox: options.outbox,
    topic: readingsTopic(options.householdId, options.agentId),
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    clock,
    log,
    metrics,
  });
  let client: MqttClient | undefined;
  let connectedAtMs: number | undefined; // monotonic
  let stopping = false;
  let attempt = 0;
  let reconnects = 0;
  let reconnectTimer: TimerHandle | undefined;
  /** Codes of refusals already warned about since the last connection (bad credentials, TLS). */
  const warnedCodes = new Set<string>();

  const connect = (): void => {
    const c = createMqttClient({
      brokerUrl: options.brokerUrl,
      clientId: options.clientId ?? options.agentId,
      username: options.username,
      password: options.password,
      keepaliveS: options.keepaliveS ?? 30,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      statusTopic: status,
      log,
      firstSighting: (code) => !warnedCodes.has(code) && Boolean(warnedCodes.add(code)),
    });
    client = c;
    c.on('connect', () => {
      if (client === c) onConnect(c);
    });
    c.on('close', () => {
      if (client === c) onClose(c);
    });
    c.connect();
  };

  const onConnect = (c: MqttClient): void => {
    connectedAtMs = clock.monotonicMs();
    warnedCodes.clear();
    metrics.connected.inc();
    log.info({ pending: options.outbox.depth() }, 'connected');
    // Retained, so whoever subscribes later still sees the current state [MQTT-3.3.1-5].
    c.publish(status, STATUS_ONLINE, { qos: 1, retain: true }, () => undefined);
    pump.attach(c);
  };

  const onClose = (c: MqttClient): void => {
    client = undefined;
    pump.detach();
    c.end(true); // drops MQTT.js' copies of what was in flight; see mqtt/mqtt-client-factory.ts
    if (connectedAtMs !== undefined) {
      metrics.connected.dec();
      log[stopping ? 'debug' : 'warn']('connection closed');
      // Backoff restarts only after a connection that lasted: two agents sharing a client id (a
      // cloned SD card) take each other's session over [MQTT-3.1.4-2] and must not loop tightly.
      if (clock.monotonicMs() - connectedAtMs >= STABLE_CONNECTION_MS) attempt = 0;
      connectedAtMs = undefined;
    }
    if (!stopping) scheduleReconnect();
  };

  const scheduleReconnect = (): void => {
    const delayMs = fullJitterDelayMs(attempt++, options.backoff ?? DEFAULT_BACKOFF, options.random);
    reconnects++;
    metrics.reconnects.inc();
    log.debug({ delayMs, attempt }, 'reconnect scheduled');
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delayMs);
  };

  function beginStop(): void {
    stopping = true;
    if (reconnectTimer !== undefined) clock.clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
  }

  return {
    start() {
      if (client === undefined && !stopping && reconnectTimer === undefined) connect();
    },
    notify: () => pump.pump(),
    beginStop,
    async stop({ drainTimeoutMs = DEFAULT_STOP_GRACE_MS } = {}) {
      beginStop();
      const c = client;
      const up = c !== undefined && connectedAtMs !== undefined;
      const drained = up && (await pump.drain(drainTimeoutMs));
      if (c === undefined) return;
      // A DISCONNECT makes the broker discard the will [MQTT-3.14.4-3], so leave `offline` ourselves;
      // if that cannot be done, close without DISCONNECT and let the will say it.
      const offline = drained && (await publishAcked(c, status, STATUS_OFFLINE, clock, drainTimeoutMs));
      await endClient(c, !offline, clock, drainTimeoutMs);
    },
    stats: () => ({ connected: connectedAtMs !== undefined, reconnects, ...pump.stats() }),
  };
}
