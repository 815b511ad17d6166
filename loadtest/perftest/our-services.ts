// Our broker and write service as child processes for a perftest run, on probed ports in a temp
// folder. The broker runs with EM_BROKER_AUTH=disabled: credentials cost once per CONNECT (then
// cached), not per publish, so a steady publish load measures the same without PostgreSQL.
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { metricValue, scrape } from '../lib/prometheus-text.js';
import { LOAD_TEST_BROKER_ENV } from '../lib/load-test-broker-env.js';

export interface RunningBroker {
  readonly url: string;
  readonly pid: number | undefined;
  /** The broker's Prometheus endpoint (heap figures for the connection storm). */
  readonly metricsUrl: string;
  /** Entries in the journal now: messages stored durably and not yet drained by a writer. */
  readonly journalEntries: () => Promise<number>;
  stop(): Promise<void>;
}

/** `env` adds or overrides broker variables, e.g. NODE_OPTIONS with V8 flags for the connection storm. */
export async function startOurBroker(folder: string, durable: boolean, env: Readonly<Record<string, string>> = {}): Promise<RunningBroker> {
  const broker = await spawnService({
    name: 'broker',
    entry: 'broker/main.ts',
    readyMessage: 'broker listening',
    logFile: `${folder}/broker.log`,
    env: {
      EM_BROKER_AUTH: 'disabled',
      EM_BROKER_MQTT_PORT: '0',
      EM_BROKER_WS_PORT: '0',
      EM_BROKER_METRICS_PORT: '0',
      EM_BROKER_JOURNAL_PATH: `${folder}/journal`,
      EM_BROKER_DEAD_LETTER_PATH: `${folder}/broker-dead-letters`,
      EM_BROKER_JOURNAL_DURABLE: String(durable),
      ...LOAD_TEST_BROKER_ENV,
      ...env,
    },
  });
  const metrics = `http://127.0.0.1:${Number(broker.ready.metricsPort)}/metrics`;
  return {
    url: `mqtt://127.0.0.1:${Number(broker.ready.mqttPort)}`,
    pid: broker.child.pid,
    metricsUrl: metrics,
    journalEntries: async () => metricValue(await scrape(metrics), 'em_journal_depth_entries'),
    stop: () => broker.stop(),
  };
}

export interface RunningWriter {
  readonly pid: number | undefined;
  readonly pointsWritten: () => Promise<number>;
  stop(): Promise<void>;
}

export async function startOurWriter(folder: string, influxUrl: string, database: string): Promise<RunningWriter> {
  const writer: SpawnedService = await spawnService({
    name: 'write',
    entry: 'services/write/main.ts',
    readyMessage: 'write service started',
    logFile: `${folder}/write.log`,
    env: {
      EM_WRITE_INFLUX_URL: influxUrl,
      EM_WRITE_INFLUX_DB: database,
      EM_WRITE_JOURNAL_PATH: `${folder}/journal`,
      EM_WRITE_DEAD_LETTER_PATH: `${folder}/write-dead-letters`,
      EM_WRITE_METRICS_PORT: '0',
    },
  });
  const metrics = `http://127.0.0.1:${Number(writer.ready.metricsPort)}/metrics`;
  return {
    pid: writer.child.pid,
    pointsWritten: async () => metricValue(await scrape(metrics), 'em_write_points_written_total'),
    stop: () => writer.stop(),
  };
}
