// The platform as separate processes in a private folder, for fault scenarios: a private InfluxDB
// (so it can be stopped), the broker, the write service and fleets, each of which can be killed
// -9 or restarted on the same ports and folders. Tracks every process' peak RSS. Shutdown may come
// at any time (a run interrupted by Ctrl-C): it waits for the starts under way, stops everything,
// and refuses later starts, so a scenario it abandoned cannot bring a process back.
import { join } from 'node:path';
import { findFreePort } from '../../infra/free-port.js';
import { createInfluxDatabase, startInfluxdb, type RunningInfluxdb } from '../../infra/influxdb.js';
import { spawnService, type SpawnedService } from '../../lib/process/spawn-service.js';
import { metricValue, scrape } from '../lib/prometheus-text.js';
import { LOAD_TEST_BROKER_ENV } from '../lib/load-test-broker-env.js';
import { startRssSampler } from './rss-sampler.js';

export const DATABASE = 'energymonitor';

export interface FleetSpec {
  readonly name: string;
  readonly agents: number;
  readonly containersPerAgent: number;
  readonly publishIntervalMs: number;
  readonly brokerPort?: number;
  readonly householdPrefix: string;
}

export interface FaultPlatform {
  readonly dir: string;
  readonly mqttPort: number;
  readonly ledgerPath: string;
  influxUrl(): string;
  start(name: 'broker' | 'write', extraEnv?: Record<string, string>): Promise<void>;
  startFleet(spec: FleetSpec): Promise<void>;
  /** Resolves with the fleet's exit code: 0 once all its containers were acknowledged. */
  fleetExit(name: string): Promise<number | null>;
  kill9(name: string): Promise<void>;
  stopInflux(): Promise<void>;
  startInflux(): Promise<void>;
  journalDepth(): Promise<number>;
  peakRssMb(): Record<string, number>;
  /** Stops every process; the same promise on every call. Starts after it fail. */
  shutdown(): Promise<void>;
}

export interface FaultPlatformOptions {
  /** Told whenever a process of the platform is up (the CLI prints the pids). */
  readonly onStarted?: (name: string, pid: number) => void;
}

export async function startFaultPlatform(dir: string, options: FaultPlatformOptions = {}): Promise<FaultPlatform> {
  const onStarted = options.onStarted ?? (() => undefined);
  const rss = startRssSampler();
  let influx: RunningInfluxdb = await startInfluxdb({ dataDir: join(dir, 'influxdb') });
  rss.track('influxd', influx.pid);
  try {
    await createInfluxDatabase(influx.url, DATABASE);
  } catch (error) {
    rss.stop();
    await influx.stop().catch(() => undefined); // detached: it would outlive us
    throw error;
  }
  onStarted('influxd', influx.pid);
  const mqttPort = await findFreePort();
  const journalPath = join(dir, 'journal');
  const ledgerPath = join(dir, 'ledger.ndjson');
  const running = new Map<string, SpawnedService>();
  const exits = new Map<string, Promise<number | null>>();
  let stopping: Promise<void> | undefined;
  const underWay = new Set<Promise<void>>();
  const start = async (what: string, run: () => Promise<void>): Promise<void> => {
    if (stopping !== undefined) throw new Error(`the fault platform is shut down: ${what} not started`);
    const started = run();
    underWay.add(started);
    try {
      await started;
    } finally {
      underWay.delete(started);
    }
  };

  const launch = async (name: string, entry: string, readyMessage: string, env: Record<string, string>): Promise<void> => {
    const service = await spawnService({ name, entry, readyMessage, env, logFile: join(dir, `${name}.log`), timeoutMs: 60_000 });
    running.set(name, service);
    rss.track(name, service.child.pid ?? 0);
    onStarted(name, service.child.pid ?? 0);
    exits.set(name, new Promise((resolve) => service.child.once('exit', (code) => resolve(code))));
  };
  const envOf = (name: 'broker' | 'write'): [string, string, Record<string, string>] =>
    name === 'broker'
      ? ['broker/main.ts', 'broker listening', {
          EM_BROKER_AUTH: 'disabled',
          EM_BROKER_MQTT_PORT: String(mqttPort),
          EM_BROKER_WS_PORT: '0',
          EM_BROKER_METRICS_PORT: '0',
          EM_BROKER_JOURNAL_PATH: journalPath,
          EM_BROKER_DEAD_LETTER_PATH: join(dir, 'broker-dead-letters'),
          ...LOAD_TEST_BROKER_ENV,
        }]
      : ['services/write/main.ts', 'write service started', {
          EM_WRITE_INFLUX_URL: influx.url,
          EM_WRITE_INFLUX_DB: DATABASE,
          EM_WRITE_JOURNAL_PATH: journalPath,
          EM_WRITE_DEAD_LETTER_PATH: join(dir, 'write-dead-letters'),
          EM_WRITE_METRICS_PORT: '0',
        }];

  return {
    dir,
    mqttPort,
    ledgerPath,
    influxUrl: () => influx.url,
    async start(name, extraEnv = {}) {
      const [entry, ready, env] = envOf(name);
      await start(name, () => launch(name, entry, ready, { ...env, ...extraEnv }));
    },
    async startFleet(spec) {
      await start(spec.name, () => launch(spec.name, 'device-agent/fleet-main.ts', 'fleet started', {
        EM_FLEET_BROKER_URL: `mqtt://127.0.0.1:${spec.brokerPort ?? mqttPort}`,
        EM_FLEET_AGENTS: String(spec.agents),
        EM_FLEET_HOUSEHOLD_PREFIX: spec.householdPrefix,
        EM_FLEET_AGENT_PREFIX: `${spec.name}-`,
        EM_FLEET_PUBLISH_INTERVAL_MS: String(spec.publishIntervalMs),
        EM_FLEET_START_JITTER_MS: String(spec.publishIntervalMs),
        EM_FLEET_CONTAINERS_PER_AGENT: String(spec.containersPerAgent),
        EM_FLEET_TIMEOUT_MS: String(3_600_000),
        EM_FLEET_DATA_DIR: join(dir, spec.name),
        EM_FLEET_LEDGER_PATH: ledgerPath,
        EM_FLEET_METRICS_PORT: '0',
      }));
    },
    fleetExit: (name) => exits.get(name) ?? Promise.resolve(null),
    async kill9(name) {
      const service = running.get(name);
      if (service === undefined) return;
      rss.capture(name, service.child.pid ?? 0);
      running.delete(name);
      await service.kill9();
    },
    async stopInflux() {
      rss.capture('influxd', influx.pid);
      await influx.stop();
    },
    async startInflux() {
      await start('influxd', async () => {
        influx = await startInfluxdb({ dataDir: join(dir, 'influxdb'), httpPort: influx.httpPort });
        rss.track('influxd', influx.pid);
        onStarted('influxd', influx.pid);
      });
    },
    async journalDepth() {
      const write = running.get('write');
      if (write === undefined) return Number.NaN;
      return metricValue(await scrape(`http://127.0.0.1:${String(write.ready.metricsPort)}/metrics`), 'em_write_journal_depth_entries');
    },
    peakRssMb: () => rss.peaksMb(),
    shutdown() {
      stopping ??= (async () => {
        await Promise.allSettled(underWay);
        for (const [name, service] of running) {
          rss.capture(name, service.child.pid ?? 0);
          await service.stop().catch(() => undefined);
        }
        running.clear();
        rss.stop();
        await influx.stop().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
