// Starting and stopping a built broker: its listeners, metrics server and journal trimmer, and the
// order they close in.
import type { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import type { DeadLetterStore } from '../lib/dead-letter/dead-letter-store.js';
import type { ContainerJournal } from '../lib/journal/container-journal.js';
import type { Logger } from '../lib/log.js';
import { startMetricsServer, type MetricsServer } from '../lib/metrics/metrics-server.js';
import type { Readiness } from '../lib/metrics/readiness.js';
import type { AuthHooks } from './auth-hooks.js';
import type { BrokerConfig } from './config.js';
import type { JournalBackpressure } from './journal-backpressure.js';
import { startJournalTrimmer, type JournalTrimmer } from './journal-trimmer.js';
import { listenTcp, listenWebSocket, type Listener } from './listeners.js';
import type { BrokerMetrics } from './metrics.js';
import type { ReadingsFastPath } from './readings-fast-path.js';

export interface BrokerAddresses {
  readonly mqttPort: number;
  readonly wsPort: number;
  readonly metricsPort: number;
}

export interface BrokerLifecycle {
  start(): Promise<BrokerAddresses>;
  stop(): Promise<void>;
}

export interface BrokerLifecycleParts {
  readonly aedes: Aedes;
  readonly journal: ContainerJournal;
  readonly deadLetters: DeadLetterStore;
  readonly backpressure: JournalBackpressure;
  readonly auth: AuthHooks;
  readonly readiness: Readiness;
  readonly fastPath: ReadingsFastPath | undefined;
  readonly metrics: BrokerMetrics;
  readonly registry: Registry;
  readonly log: Logger;
}

export function createBrokerLifecycle(config: Readonly<BrokerConfig>, parts: BrokerLifecycleParts): BrokerLifecycle {
  const { aedes, journal, deadLetters, backpressure, auth, readiness, fastPath, metrics, registry, log } = parts;
  const listeners: Listener[] = [];
  let metricsServer: MetricsServer | undefined;
  let trimmer: JournalTrimmer | undefined;
  const listenerOptions = {
    host: config.host,
    maxPacketBytes: config.maxPacketBytes,
    maxBufferedBytesPerConnection: config.maxBufferedBytesPerConnection,
    maxOutgoingBytesPerConnection: config.maxOutgoingBytesPerConnection,
    onOversize: (reason: string, listener: string) => {
      metrics.oversizePackets.inc();
      log.warn({ listener, reason }, 'closing connection: packet too large');
    },
    ...(fastPath === undefined ? {} : { fastPath }),
  };

  return {
    async start() {
      listeners.push(await listenTcp(aedes, config.mqttPort, listenerOptions, metrics));
      listeners.push(await listenWebSocket(aedes, config.wsPort, listenerOptions, metrics));
      metricsServer = await startMetricsServer({ registry, port: config.metricsPort, host: config.host, readiness });
      trimmer = startJournalTrimmer(journal, log);
      const [tcp, ws] = listeners;
      return { mqttPort: tcp?.port ?? 0, wsPort: ws?.port ?? 0, metricsPort: metricsServer.port };
    },
    async stop() {
      backpressure.stop();
      auth.stop();
      // Stop accepting first; a listener's close resolves only once its connections have ended, and
      // it is aedes.close() that ends them (MQTT 3.1.1 has no server-sent DISCONNECT: the socket closes).
      const listenersClosed = Promise.all(listeners.splice(0).map((l) => l.close()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await listenersClosed;
      await trimmer?.stop();
      // Both, even when one fails: each ends within the flush time limit, naming the flush the disk
      // never confirmed (a disk that stays full or does not answer); the first failure is rethrown.
      const closed = await Promise.allSettled([journal.close(), deadLetters.close()]);
      // Last: stopping after an unconfirmed flush can take that limit again, and meanwhile /readyz
      // and em_broker_journal_flush_timeouts_total say why (journal-flush-watch.ts).
      await metricsServer?.close();
      for (const outcome of closed) if (outcome.status === 'rejected') throw outcome.reason;
    },
  };
}
