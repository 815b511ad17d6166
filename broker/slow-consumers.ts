// Subscribers Aedes disconnected for not taking their messages (its drainTimeout, set from
// EM_BROKER_SLOW_CONSUMER_TIMEOUT_MS in broker-aedes.ts): counted and logged once per client.
// Until then, deliveries to everyone wait for such a subscriber (live-forward.ts).
import type { Aedes } from 'aedes';
import { clipForLog, type Logger } from '../lib/log.js';

export interface SlowConsumerOptions {
  readonly timeoutMs: number;
  /** Told once per disconnected subscriber (a metric). */
  readonly onDisconnected: () => void;
  readonly log: Logger;
}

export function watchSlowConsumers(aedes: Aedes, options: SlowConsumerOptions): void {
  // Aedes ends the connection with this error (lib/client.js, _handleDrainTimeout) and reports it
  // once more for each delivery that was waiting: count the client once.
  const counted = new WeakSet<object>();
  aedes.on('clientError', (client, err) => {
    if (err.message !== 'drain timeout' || counted.has(client)) return;
    counted.add(client);
    options.onDisconnected();
    options.log.warn({ clientId: clipForLog(client.id), timeoutMs: options.timeoutMs }, 'disconnected a subscriber that stopped taking its messages');
  });
}
