// <dataDir>/infra/state.json: where the platform's InfluxDB and PostgreSQL listen, for the start
// script and humans. Written by `infra/cli.ts start`, trimmed by `stop`. It holds the Postgres
// superuser password, hence mode 0600; the servers' own folders stay the source of truth.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunningInfluxdb } from './influxdb.js';
import type { RunningPostgres } from './postgres.js';
import { makePrivateFolder } from './private-folder.js';

// rpcPort is optional: state files written before it was recorded still parse.
const influxdbEntry = z.object({ url: z.string(), httpPort: z.number(), rpcPort: z.number().optional(), pid: z.number(), dataDir: z.string() });
const postgresEntry = z.object({
  url: z.string(),
  host: z.string(),
  port: z.number(),
  user: z.string(),
  password: z.string(),
  database: z.string(),
  dataDir: z.string(),
});
const stateSchema = z.object({ influxdb: influxdbEntry.optional(), postgres: postgresEntry.optional() });

export type InfraState = z.infer<typeof stateSchema>;
export type ServiceName = 'influxdb' | 'postgres';

export const serviceDataDir = (dataDir: string, service: ServiceName): string => join(dataDir, service);
const stateFile = (dataDir: string): string => join(dataDir, 'infra', 'state.json');

export function describeInfluxdb({ url, httpPort, rpcPort, pid, dataDir }: RunningInfluxdb): NonNullable<InfraState['influxdb']> {
  return { url, httpPort, rpcPort, pid, dataDir };
}

export function describePostgres(running: RunningPostgres): NonNullable<InfraState['postgres']> {
  const { url, host, port, user, password, database, dataDir } = running;
  return { url, host, port, user, password, database, dataDir };
}

/** The recorded state; an unreadable file counts as empty (the servers' folders decide anyway). */
export async function readInfraState(dataDir: string): Promise<InfraState> {
  const text = await readFile(stateFile(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function writeInfraState(dataDir: string, state: InfraState): Promise<void> {
  const path = stateFile(dataDir);
  if (state.influxdb === undefined && state.postgres === undefined) {
    await rm(path, { force: true });
    return;
  }
  await makePrivateFolder(join(dataDir, 'infra'));
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
