// What every process of the platform is started with (data directory, InfluxDB, the auth database,
// ports), and the addresses that follow from it: where each service answers on this machine.
import type { SpawnOptions } from '../lib/process/spawn-service.js';

export interface PlatformPorts {
  readonly mqtt: number;
  readonly ws: number;
  readonly auth: number;
  readonly brokerMetrics: number;
  readonly writeMetrics: number;
  readonly fleetMetrics: number;
  readonly authMetrics: number;
  readonly read: number;
  readonly readMetrics: number;
  readonly alerts: number;
  readonly alertsMetrics: number;
  /** Only when the web server runs (npm start; not the test harness, which serves it in-process). */
  readonly web?: number;
  readonly webMetrics?: number;
}

export interface PlatformSettings {
  readonly dataDir: string;
  readonly influxUrl: string;
  /** The auth database as its owner: the auth service migrates it. Every other service has its own login. */
  readonly databaseUrl: string;
  readonly ports: PlatformPorts;
  /** The checkout the agents' provisioning command `cd`s into: this one, so it runs here as shown. */
  readonly repoDir: string;
}

export type ServiceSpec = Omit<SpawnOptions, 'logFile'>;

/** A service's own PostgreSQL login (services/auth/service-roles.ts), never the owner's. */
export interface DatabaseAccess {
  readonly databaseUrl: string;
}

/** What the query-side services get from provisioning: their login and their OAuth2 client. */
export interface ServiceAccess extends DatabaseAccess {
  readonly clientId: string;
  readonly clientSecret: string;
}

export function authUrl(settings: PlatformSettings): string {
  return `http://127.0.0.1:${settings.ports.auth}`;
}

export function alertsUrl(settings: PlatformSettings): string {
  return `http://127.0.0.1:${settings.ports.alerts}`;
}

export function readUrl(settings: PlatformSettings): string {
  return `http://127.0.0.1:${settings.ports.read}`;
}

export function webUrl(settings: PlatformSettings): string {
  return `http://127.0.0.1:${settings.ports.web ?? 0}/`;
}
