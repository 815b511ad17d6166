// MQTT.js calls with a deadline, for shutdown: a broker that stops answering must not hang stop().
import type { MqttClient } from 'mqtt';
import type { Clock } from '../clock.js';

/** Publishes a retained QoS1 message; true when its PUBACK arrived within `timeoutMs`. */
export function publishAcked(client: MqttClient, topic: string, payload: string, clock: Clock, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), timeoutMs);
    client.publish(topic, payload, { qos: 1, retain: true }, (err) => {
      clock.clearTimeout(timer);
      resolve(err === undefined || err === null);
    });
  });
}

/**
 * Ends the connection: gracefully (DISCONNECT) unless `force`. Resolves once the client has closed,
 * or after `timeoutMs`, destroying the transport if the broker never lets go.
 */
export function endClient(client: MqttClient, force: boolean, clock: Clock, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => {
      client.stream.destroy();
      resolve();
    }, timeoutMs);
    client.end(force, {}, () => {
      clock.clearTimeout(timer);
      resolve();
    });
  });
}
