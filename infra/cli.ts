// Used by scripts/start.sh to run the platform's InfluxDB and PostgreSQL without Docker:
//   tsx infra/cli.ts install
//   tsx infra/cli.ts start  [influxdb|postgres|all] [--data-dir .data]   JSON state on stdout
//   tsx infra/cli.ts stop   [influxdb|postgres|all] [--data-dir .data]
//   tsx infra/cli.ts status [influxdb|postgres|all] [--data-dir .data]   exit 3 when one is down or not answering
// start reuses a server already running in the folder and never starts a second one beside it:
// when that one does not answer within 30 s, start fails and says which pid to stop. When one
// server fails to start, those this command started are stopped again; those it found running stay.
// Messages for humans go to stderr so stdout stays machine-readable. See
// docs/decisions/003-infra-without-docker.md.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preferredOrFreePort } from './free-port.js';
import { ensureInfluxdbInstalled, findInfluxdbProcess, findRunningInfluxdb, startInfluxdb, stopInfluxdb } from './influxdb.js';
import {
  describeInfluxdb,
  describePostgres,
  readInfraState,
  serviceDataDir,
  writeInfraState,
  type InfraState,
  type ServiceName,
} from './infra-state.js';
import { ensurePostgresInstalled, findPostgresProcess, findRunningPostgres, startPostgres, stopPostgres } from './postgres.js';
import { parseCommandLine } from '../lib/cli/command-line.js';

const USAGE = 'usage: tsx infra/cli.ts <install|start|stop|status> [influxdb|postgres|all] [--data-dir DIR]';
const PREFERRED_PORT: Record<ServiceName, number> = { influxdb: 8086, postgres: 5432 };
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

class UsageError extends Error {}

type Command = { verb: string; services: ServiceName[]; dataDir: string };

function parseCommand(): Command {
  const { values, positionals } = parseCommandLine(USAGE, { 'data-dir': { type: 'string' } }, { positionals: true });
  const [verb, which = 'all', ...extra] = positionals;
  if (verb === undefined || extra.length > 0) throw new UsageError(USAGE);
  if (!['influxdb', 'postgres', 'all'].includes(which)) throw new UsageError(`unknown service "${which}"\n${USAGE}`);
  const services: ServiceName[] = which === 'all' ? ['influxdb', 'postgres'] : [which as ServiceName];
  const dataDirArg = values['data-dir'];
  return { verb, services, dataDir: dataDirArg === undefined ? resolve(repoRoot, '.data') : resolve(dataDirArg) };
}

/** A fixed port is friendlier for humans; fall back to a probed one, and say so, when it is taken. */
async function choosePort(service: ServiceName): Promise<number> {
  const { port, fellBack } = await preferredOrFreePort(PREFERRED_PORT[service]);
  if (fellBack) console.error(`infra: port ${PREFERRED_PORT[service]} is taken; ${service} will listen on ${port}`);
  return port;
}

/** The folder's live server, answering or not: start reuses it (or fails), never starts another. */
function findProcess(service: ServiceName, dir: string): Promise<{ pid: number; dataDir: string } | undefined> {
  return service === 'influxdb' ? findInfluxdbProcess(dir) : findPostgresProcess(dir);
}

/** Starts (or reuses) one server; true when this call started it. */
async function startService(service: ServiceName, dataDir: string, state: InfraState): Promise<boolean> {
  const dir = serviceDataDir(dataDir, service);
  // Only a new server gets a port; one already running keeps its own.
  const port = (await findProcess(service, dir)) ? undefined : await choosePort(service);
  if (service === 'influxdb') state.influxdb = describeInfluxdb(await startInfluxdb({ dataDir: dir, httpPort: port }));
  else state.postgres = describePostgres(await startPostgres({ dataDir: dir, port }));
  console.error(`infra: ${service} is up at ${state[service]?.url.replace(/:[^:@/]*@/, ':***@')}`);
  return port !== undefined;
}

/**
 * Starts `services` in order and records them. When one fails, the servers this command started
 * are stopped again (those it found running are left, and stay recorded): no half-started set.
 */
async function startServices(services: readonly ServiceName[], dataDir: string, state: InfraState): Promise<void> {
  const started: ServiceName[] = [];
  try {
    for (const service of services) if (await startService(service, dataDir, state)) started.push(service);
  } catch (error) {
    for (const service of started.reverse()) await undoStart(service, dataDir, state);
    if (started.length > 0) await writeInfraState(dataDir, state);
    throw error;
  }
  await writeInfraState(dataDir, state);
}

/** Stops a server this command started, after a later one failed; one that will not stop stays recorded. */
async function undoStart(service: ServiceName, dataDir: string, state: InfraState): Promise<void> {
  console.error(`infra: stopping ${service} again, which this command started, since the start failed`);
  try {
    await (service === 'influxdb' ? stopInfluxdb : stopPostgres)(serviceDataDir(dataDir, service));
    delete state[service];
  } catch (stopError) {
    console.error(`infra: could not stop ${service}, so it stays recorded: ${stopError instanceof Error ? stopError.message : String(stopError)}`);
  }
}

type ServiceStatus = { running: boolean; dataDir: string } & Record<string, unknown>;

async function statusOf(service: ServiceName, dataDir: string): Promise<ServiceStatus> {
  const dir = serviceDataDir(dataDir, service);
  if (service === 'influxdb') {
    const running = await findRunningInfluxdb(dir);
    if (running) return { running: true, answering: true, ...describeInfluxdb(running) };
  } else {
    const running = await findRunningPostgres(dir);
    if (running) return { running: true, answering: true, ...describePostgres(running) };
  }
  // Alive but silent (busy, hung, stopped): still the folder's server, which start will not replace.
  const found = await findProcess(service, dir);
  return found ? { running: true, answering: false, ...found } : { running: false, dataDir: dir };
}

async function run({ verb, services, dataDir }: Command): Promise<number> {
  const state = await readInfraState(dataDir);
  switch (verb) {
    case 'install':
      for (const service of services) await (service === 'influxdb' ? ensureInfluxdbInstalled() : ensurePostgresInstalled());
      return 0;
    case 'start':
      await startServices(services, dataDir, state);
      console.log(JSON.stringify(state, null, 2));
      return 0;
    case 'stop':
      for (const service of services) {
        await (service === 'influxdb' ? stopInfluxdb : stopPostgres)(serviceDataDir(dataDir, service));
        delete state[service];
        console.error(`infra: ${service} stopped`);
      }
      await writeInfraState(dataDir, state);
      return 0;
    case 'status': {
      const report: Partial<Record<ServiceName, ServiceStatus>> = {};
      for (const service of services) report[service] = await statusOf(service, dataDir);
      console.log(JSON.stringify(report, null, 2));
      return Object.values(report).every((entry) => entry.running && entry.answering === true) ? 0 : 3;
    }
    default:
      throw new UsageError(`unknown command "${verb}"\n${USAGE}`);
  }
}

try {
  process.exitCode = await run(parseCommand());
} catch (error) {
  console.error(error instanceof UsageError ? error.message : `infra: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
