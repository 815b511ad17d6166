// The processes `npm start` runs, with their configuration. One place, so the start command and
// anything else that launches the platform agree on names, entries and variables.
// Their settings, access and addresses are in platform-settings.ts, exported from here as well.
import { join } from 'node:path';
import { alertsUrl, authUrl, readUrl, type DatabaseAccess, type PlatformSettings, type ServiceAccess, type ServiceSpec } from './platform-settings.js';

export { alertsUrl, authUrl, readUrl, webUrl } from './platform-settings.js';
export type { DatabaseAccess, PlatformPorts, PlatformSettings, ServiceAccess, ServiceSpec } from './platform-settings.js';

/** Started first: it migrates the schema that provisioning, the broker and the read service use. */
export function authService(settings: PlatformSettings): ServiceSpec {
  return {
    name: 'auth',
    entry: 'services/auth/main.ts',
    readyMessage: 'auth service started',
    env: {
      EM_AUTH_DATABASE_URL: settings.databaseUrl,
      EM_AUTH_PORT: String(settings.ports.auth),
      EM_AUTH_METRICS_PORT: String(settings.ports.authMetrics),
      EM_AUTH_MQTT_URL: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
      EM_AUTH_AGENT_DIR: settings.repoDir,
      // The web server forwards the browser's address (X-Forwarded-For, replacing any the browser
      // sent); without trusting it every login would come from 127.0.0.1 and share one per-address
      // throttle. It reaches auth at EM_WEB_AUTH_URL = authUrl(), so from 127.0.0.1: trust that
      // peer only, not every client (any other peer's X-Forwarded-For is ignored).
      EM_AUTH_TRUST_PROXY: '127.0.0.1',
    },
  };
}

/**
 * The simulated fleet's pace unless `npm start` is told otherwise: a container every 10 s rather
 * than the agent's 60 s default, so a new user sees data move at once.
 */
export const FLEET_PACE = Object.freeze({ publishIntervalMs: 10_000, sampleIntervalMs: 2_000 });

export interface FleetSpec {
  readonly agentsFile: string;
  readonly publishIntervalMs?: number;
  readonly sampleIntervalMs?: number;
}

/** The ingest path and the demo fleet, started in this order once the auth database is provisioned. */
export function ingestServices(settings: PlatformSettings, fleet: FleetSpec, broker: DatabaseAccess): ServiceSpec[] {
  const journal = join(settings.dataDir, 'journal');
  return [
    {
      name: 'broker',
      entry: 'broker/main.ts',
      readyMessage: 'broker listening',
      env: {
        EM_BROKER_AUTH: 'required',
        EM_BROKER_AUTH_DATABASE_URL: broker.databaseUrl,
        EM_BROKER_AUTH_ISSUER: authUrl(settings),
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
      // The simulated households, each agent with its own credentials from the auth database.
      name: 'fleet',
      entry: 'device-agent/fleet-main.ts',
      readyMessage: 'fleet started',
      env: {
        EM_FLEET_BROKER_URL: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
        EM_FLEET_AGENTS_FILE: fleet.agentsFile,
        EM_FLEET_PUBLISH_INTERVAL_MS: String(fleet.publishIntervalMs ?? FLEET_PACE.publishIntervalMs),
        EM_FLEET_SAMPLE_INTERVAL_MS: String(fleet.sampleIntervalMs ?? FLEET_PACE.sampleIntervalMs),
        EM_FLEET_DATA_DIR: join(settings.dataDir, 'fleet'),
        // What each agent produced, for `npm run loss-check` (docs/guarantees.md): about 0.4 KB per
        // container, some 65 MB a day for the default 20 agents.
        EM_FLEET_LEDGER_PATH: join(settings.dataDir, 'fleet', 'ledger.ndjson'),
        EM_FLEET_METRICS_PORT: String(settings.ports.fleetMetrics),
      },
    },
  ];
}

/**
 * The query side, its own process (CQRS). It authenticates to the broker with a client-credentials
 * token of the `read-service` client that provisioning created, and subscribes only to watched households.
 */
export function readService(settings: PlatformSettings, client: ServiceAccess): ServiceSpec {
  return {
    name: 'read',
    entry: 'services/read/main.ts',
    readyMessage: 'read service started',
    env: {
      EM_READ_PORT: String(settings.ports.read),
      EM_READ_METRICS_PORT: String(settings.ports.readMetrics),
      EM_READ_INFLUX_URL: settings.influxUrl,
      EM_READ_DATABASE_URL: client.databaseUrl,
      EM_READ_AUTH_ISSUER: authUrl(settings),
      EM_READ_AUTH_JWKS_URL: `${authUrl(settings)}/.well-known/jwks.json`,
      EM_READ_MQTT_URL: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
      EM_READ_CLIENT_ID: client.clientId,
      EM_READ_CLIENT_SECRET: client.clientSecret,
    },
  };
}

/**
 * Homeowner alerts: rules in PostgreSQL, evaluated on the live feed (subscribed with its own
 * client-credentials token, only to households with rules), notifications to households' webhooks.
 */
export function alertsService(settings: PlatformSettings, client: ServiceAccess): ServiceSpec {
  return {
    name: 'alerts',
    entry: 'services/alerts/main.ts',
    readyMessage: 'alerts service started',
    env: {
      EM_ALERTS_PORT: String(settings.ports.alerts),
      EM_ALERTS_METRICS_PORT: String(settings.ports.alertsMetrics),
      EM_ALERTS_DATABASE_URL: client.databaseUrl,
      EM_ALERTS_INFLUX_URL: settings.influxUrl,
      EM_ALERTS_AUTH_ISSUER: authUrl(settings),
      EM_ALERTS_AUTH_JWKS_URL: `${authUrl(settings)}/.well-known/jwks.json`,
      EM_ALERTS_MQTT_URL: `mqtt://127.0.0.1:${settings.ports.mqtt}`,
      EM_ALERTS_CLIENT_ID: client.clientId,
      EM_ALERTS_CLIENT_SECRET: client.clientSecret,
    },
  };
}

/**
 * The homeowner web app: the built `web/dist` and same-origin proxies to the auth, read and alerts APIs;
 * with a Prometheus URL also the operator page's data (admins only).
 */
export function webServer(settings: PlatformSettings, monitoring: { readonly prometheusUrl?: string } = {}): ServiceSpec {
  return {
    name: 'web',
    entry: 'web/server/main.ts',
    readyMessage: 'web server started',
    env: {
      EM_WEB_PORT: String(settings.ports.web ?? 0),
      EM_WEB_METRICS_PORT: String(settings.ports.webMetrics ?? 0),
      EM_WEB_AUTH_URL: authUrl(settings),
      EM_WEB_READ_URL: readUrl(settings),
      EM_WEB_ALERTS_URL: alertsUrl(settings),
      ...(monitoring.prometheusUrl === undefined ? {} : { EM_WEB_PROMETHEUS_URL: monitoring.prometheusUrl }),
    },
  };
}
