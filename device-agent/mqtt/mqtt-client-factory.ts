// One MQTT.js client per connection attempt, MQTT 3.1.1, clean session, no automatic reconnect.
//
// Why a fresh client every time instead of client.reconnect(): with reconnectPeriod 0 a dropped
// connection leaves MQTT.js holding every unacknowledged QoS1 publish twice, as a packet in its
// outgoingStore and as a callback in `outgoing`. On the next CONNACK, _onConnect() replays the
// outgoingStore even with clean: true, so if we also resent from the outbox each container would
// go out twice; and reconnect() swaps in an empty store but keeps `outgoing` callbacks whose
// message ids are then reused. Our outbox is the one source of truth for what is unacknowledged,
// so MQTT.js state must not outlive a connection: the old client is ended and forgotten.
import { MqttClient } from 'mqtt';
import { STATUS_OFFLINE } from '../../proto/topics.js';
import type { Logger } from '../../lib/log.js';
import { streamBuilderFor } from './stream-builder.js';

export interface MqttClientSettings {
  readonly brokerUrl: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly keepaliveS: number;
  readonly connectTimeoutMs: number;
  readonly statusTopic: string;
  readonly log: Logger;
  /**
   * True the first time a problem that needs an operator is seen (by its code): it is logged at
   * warn then, and at debug while it repeats. Default: always true.
   */
  readonly firstSighting?: (code: string) => boolean;
}

/** Created unconnected: attach listeners, then call connect(). */
export function createMqttClient(settings: MqttClientSettings): MqttClient {
  const client = new MqttClient(streamBuilderFor(settings.brokerUrl), {
    manualConnect: true,
    protocolId: 'MQTT',
    protocolVersion: 4,
    clientId: settings.clientId,
    username: settings.username,
    password: settings.password,
    // Our outbox persists what matters; a broker-side session would only duplicate it.
    clean: true,
    keepalive: settings.keepaliveS,
    connectTimeout: settings.connectTimeoutMs,
    reconnectPeriod: 0,
    // Never park anything in MQTT.js memory while offline: the outbox is the queue.
    queueQoSZero: false,
    resubscribe: false,
    // The broker publishes this if the connection ends without DISCONNECT [MQTT-3.1.2-8];
    // retained, so a late subscriber still learns the agent is gone [MQTT-3.1.2-17].
    will: { topic: settings.statusTopic, payload: Buffer.from(STATUS_OFFLINE), qos: 1, retain: true },
  });
  // Stays attached for the client's lifetime: an 'error' without a listener would throw.
  // A refused CONNECT carries a numeric return code (MQTT 3.1.1 §3.2.2.3) and needs an operator
  // (credentials, ACL), as does a certificate the agent does not trust (ERR_TLS_…, …_CERT_…); a
  // refused TCP connection only means the broker is not there yet.
  client.on('error', (err: Error & { code?: unknown }) => {
    // Such a problem repeats at every attempt, about every 15 s, for as long as it lasts: a warning
    // each time would fill a Pi's journal with one line for days.
    const needsOperator = typeof err.code === 'number' || (typeof err.code === 'string' && /TLS|CERT/.test(err.code));
    const warn = needsOperator && (settings.firstSighting?.(String(err.code)) ?? true);
    settings.log[warn ? 'warn' : 'debug']({ err: err.message, code: err.code, ...(warn && { repeats: 'at debug until a connection succeeds' }) }, 'mqtt error');
  });
  return client;
}
