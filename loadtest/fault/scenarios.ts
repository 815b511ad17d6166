// Fault scenarios under sustained load (issue 6). Each starts the platform, injects its fault in
// the middle of the load, waits for the fleets to see everything acknowledged, then runs the loss
// checker. The same scenarios run short in the test command (test/fault-injection/).
import { startTcpProxy } from '../../test/support/tcp-proxy.js';
import type { FaultPlatform, FleetSpec } from './fault-platform.js';

export interface ScenarioSettings {
  readonly agents: number;
  readonly publishIntervalMs: number;
  /** How long the fleets publish. */
  readonly loadMs: number;
  /** How long the fault lasts (outages, offline agent). */
  readonly outageMs: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(platform: FaultPlatform, settings: ScenarioSettings): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function mainFleet(settings: ScenarioSettings): FleetSpec {
  return {
    name: 'fleet',
    agents: settings.agents,
    containersPerAgent: Math.max(1, Math.round(settings.loadMs / settings.publishIntervalMs)),
    publishIntervalMs: settings.publishIntervalMs,
    householdPrefix: 'fs-',
  };
}

async function startAll(platform: FaultPlatform, settings: ScenarioSettings, brokerEnv: Record<string, string> = {}): Promise<void> {
  await platform.start('broker', brokerEnv);
  await platform.start('write');
  await platform.startFleet(mainFleet(settings));
}

async function fleetsDone(platform: FaultPlatform, names: readonly string[]): Promise<void> {
  const codes = await Promise.all(names.map((name) => platform.fleetExit(name)));
  if (codes.some((code) => code !== 0)) throw new Error(`a fleet did not see all its containers acknowledged: exit codes ${codes.join(', ')}`);
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'broker-kill',
    description: 'kill -9 of the broker mid-load; agents reconnect and resend from their outboxes',
    async run(platform, settings) {
      await startAll(platform, settings);
      await sleep(settings.loadMs / 3);
      await platform.kill9('broker');
      await sleep(1_000);
      await platform.start('broker');
      await fleetsDone(platform, ['fleet']);
    },
  },
  {
    name: 'write-kill',
    description: 'kill -9 of the write service mid-load; the journal replays',
    async run(platform, settings) {
      await startAll(platform, settings);
      await sleep(settings.loadMs / 3);
      await platform.kill9('write');
      await sleep(1_000);
      await platform.start('write');
      await fleetsDone(platform, ['fleet']);
    },
  },
  {
    name: 'influx-outage',
    description: 'InfluxDB stopped for the outage time, then restarted; the journal grows on disk meanwhile',
    async run(platform, settings) {
      await startAll(platform, settings);
      await sleep(settings.loadMs / 4);
      await platform.stopInflux();
      await sleep(settings.outageMs);
      await platform.startInflux();
      await fleetsDone(platform, ['fleet']);
    },
  },
  {
    name: 'agent-offline',
    description: 'one agent behind a cut network for the outage time, then back: backfill in order',
    async run(platform, settings) {
      const proxy = await startTcpProxy(platform.mqttPort);
      try {
        await startAll(platform, settings);
        const roamingContainers = Math.round((settings.loadMs / 3 + settings.outageMs + settings.loadMs / 3) / settings.publishIntervalMs);
        await platform.startFleet({ name: 'roam', agents: 1, containersPerAgent: roamingContainers, publishIntervalMs: settings.publishIntervalMs, brokerPort: proxy.port, householdPrefix: 'fr-' });
        await sleep(settings.loadMs / 3);
        await proxy.cut();
        await sleep(settings.outageMs);
        await proxy.restore();
        await fleetsDone(platform, ['fleet', 'roam']);
      } finally {
        await proxy.close();
      }
    },
  },
  {
    name: 'high-water',
    description: 'write service stopped until the journal passes a low high-water mark: PUBACKs are held, memory bounded',
    async run(platform, settings) {
      const highWater = Math.max(100, Math.round((settings.agents * settings.outageMs) / settings.publishIntervalMs / 4));
      await platform.start('broker', { EM_BROKER_JOURNAL_HIGH_WATER_ENTRIES: String(highWater) });
      await platform.startFleet(mainFleet(settings));
      await sleep(settings.outageMs);
      await platform.start('write');
      await fleetsDone(platform, ['fleet']);
    },
  },
  {
    name: 'power-cut',
    description: 'kill -9 of broker, write service and fleet at once, then start them all again',
    async run(platform, settings) {
      await startAll(platform, settings);
      await sleep(settings.loadMs / 3);
      await Promise.all(['broker', 'write', 'fleet'].map((name) => platform.kill9(name)));
      await sleep(1_000);
      await startAll(platform, settings);
      await fleetsDone(platform, ['fleet']);
    },
  },
];
