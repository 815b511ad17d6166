// The processes `npm start` runs, with their configuration. One place, so the start command and
// anything else that launches the platform agree on names, entries and variables.
import { join } from 'node:path';
import type { SpawnOptions } from '../lib/process/spawn-service.js';

export interface PlatformPorts {
  readonly mqtt: number;
  readonly ws: number;
  readonly brokerMetrics: number;
  readonly writeMetrics: number;
  readonly fleetMetrics: number;
}

export interface PlatformSettings {
  readonly dataDir: string;
  readonly influxUrl: string;
  readonly ports: PlatformPorts;
}

export function platformServices(settings: PlatformSettings): Omit<SpawnOptions, 'logFile'>[] {
  const journal = join(settings.dataDir, 'journal');
  return [
    {
      name: 'broker',
      entry: 'broker/main.ts',
      readyMessage: 'broker listening',
      env: {
        EM_BROKER_AUTH: 'disabled', // TODO(issue 3 wiring): real auth (EM_BROKER_AUTH_DATABASE_URL, _ISSUER) in the start command
        EM_BROKER_MQTT_PORT: String(settings.ports.mqtt),
        EM_BROKER_WS_PORT: String(settings.ports.ws),
        EM_BROKER_METRICS_PORT: String(settings.ports.brokerMetrics),
        EM_BROKER_JOURNAL_PATH: journal,
        EM_BROKER_DEAD_LETTER_PATH: join(settings.dataDir, 'broker-dead-letters'),
      },
    },
    {
      name: 'write',
      entry: 'services/write/main.ts',
      readyMessage: 'write service started',
      env: {
        EM_WRITE_INFLUX_URL: settings.influxUrl,
        EM_WRITE_JOURNAL_PATH: journal,
        EM_WRITE_DEAD_LETTER_PATH: join(settings.dataDir, 'write-dead-letters'),
        EM_WRITE_METRICS_PORT: String(settings.ports.writeMetrics),
      },
    },
    {
      // The demo fleet: households h-0001…, one agent each, 5 sockets (11 readings per container).
      // Every 10 s rather than the agent's 60 s default so a new user sees data move at once.
      name: 'fleet',
      entry: 'device-agent/fleet-main.ts',
      readyMessage: 'fleet started',
      env: {
        EM_FLEET_BROKER_URL: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
        EM_FLEET_AGENTS: process.env.EM_FLEET_AGENTS ?? '20',
        EM_FLEET_PUBLISH_INTERVAL_MS: process.env.EM_FLEET_PUBLISH_INTERVAL_MS ?? '10000',
        EM_FLEET_SAMPLE_INTERVAL_MS: process.env.EM_FLEET_SAMPLE_INTERVAL_MS ?? '2000',
        EM_FLEET_DATA_DIR: join(settings.dataDir, 'fleet'),
        EM_FLEET_METRICS_PORT: String(settings.ports.fleetMetrics),
      },
    },
  ];
}
