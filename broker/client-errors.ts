// Client and connection errors Aedes reports (protocol violations, sockets): counted, and each
// client's logged at debug level.
import type { Aedes } from 'aedes';
import { clipForLog, type Logger } from '../lib/log.js';
import type { BrokerMetrics } from './metrics.js';

export function countClientErrors(aedes: Aedes, metrics: BrokerMetrics, log: Logger): void {
  aedes.on('clientError', (client, err) => {
    metrics.clientErrors.inc();
    log.debug({ clientId: clipForLog(client.id), err: err.message }, 'client error');
  });
  aedes.on('connectionError', () => metrics.clientErrors.inc());
}
