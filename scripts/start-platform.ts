// `npm start`: the whole platform on this machine, with a simulated fleet of households.
// Infrastructure (InfluxDB, PostgreSQL) runs from Debian's packages in `.data/`; each of our
// services runs as its own process (as deployed) with its log in `.data/logs/`. Ctrl-C stops all.
import '../lib/process/report-config-errors.js'; // first: a bad variable ends the start with its name
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { preferredOrFreePort } from '../infra/free-port.js';
import { startInfluxdb, type RunningInfluxdb } from '../infra/influxdb.js';
import { startPostgres, type RunningPostgres } from '../infra/postgres.js';
import { alertmanagerSettingsFromEnv } from '../infra/alertmanager-config.js';
import { startAlertmanager, type RunningAlertmanager } from '../infra/alertmanager.js';
import { prometheusEnabled, startPrometheus, type RunningPrometheus } from '../infra/prometheus.js';
import { spawnService, type SpawnedService } from '../lib/process/spawn-service.js';
import { stopWhenOrphaned } from '../lib/process/stop-when-orphaned.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../services/auth/demo-account.js';
import { alertsService, alertsUrl, authService, authUrl, FLEET_PACE, ingestServices, readService, readUrl, webServer, webUrl, type PlatformSettings, type ServiceSpec } from './platform-services.js';
import { lockDataDir } from './platform-lock.js';
import { supervisePlatform } from './supervise-platform.js';
import { ALERTS_SERVICE_CLIENT_ID, OPERATOR_EMAIL, provisionHouseholds, READ_SERVICE_CLIENT_ID } from './provision-households.js';
import { loadConfig, positiveInt, timerMsSchema } from '../lib/config/load-config.js';

// Any case, as infra/prometheus.ts reads it; anything but on or off is a mistake ("false" once meant on).
const onOff = z.string().trim().toLowerCase().pipe(z.enum(['on', 'off'])).default('on');
// What `npm start` reads itself (`npm start -- --help` lists it); each service validates its own.
const config = loadConfig(
  z.object({
    EM_DATA_DIR: z.string().min(1).default('.data'),
    EM_FLEET_AGENTS: positiveInt.max(20_000).default(20),
    // Checked here as the fleet checks them (device-agent/fleet-config.ts): the fleet starts last,
    // and a value it refuses would end the start after everything else was up.
    EM_FLEET_PUBLISH_INTERVAL_MS: timerMsSchema.default(FLEET_PACE.publishIntervalMs),
    EM_FLEET_SAMPLE_INTERVAL_MS: timerMsSchema.default(FLEET_PACE.sampleIntervalMs),
    EM_PROMETHEUS: onOff,
    EM_ALERTMANAGER: onOff,
    EM_ALERTMANAGER_WEBHOOK_URL: z.string().min(1).optional(),
  }).refine((env) => env.EM_FLEET_SAMPLE_INTERVAL_MS <= env.EM_FLEET_PUBLISH_INTERVAL_MS, {
    message: 'EM_FLEET_SAMPLE_INTERVAL_MS must not exceed EM_FLEET_PUBLISH_INTERVAL_MS (each container holds at least one sample)',
    path: ['EM_FLEET_SAMPLE_INTERVAL_MS'],
  }),
);
const dataDir = resolve(config.EM_DATA_DIR);
// Before anything in the folder is touched: a second start on it ends here, exit code 2, naming the
// first one's pid. Held until everything is stopped, or until this process ends however it ends.
const dataDirLock = await lockDataDir(dataDir);
const logDir = join(dataDir, 'logs');
const repoDir = fileURLToPath(new URL('..', import.meta.url));
// Agents in the simulated fleet: the demo household has three, every other household one.
const fleetAgents = Math.max(3, config.EM_FLEET_AGENTS);
const demoAgents = 3;
mkdirSync(logDir, { recursive: true });

function notifyNote(): string {
  return alertmanagerSettingsFromEnv().webhookUrl === undefined ? 'no EM_ALERTMANAGER_WEBHOOK_URL: alerts shown, not sent' : 'notifies EM_ALERTMANAGER_WEBHOOK_URL';
}

async function port(preferred: number): Promise<number> {
  return (await preferredOrFreePort(preferred)).port;
}

const running: SpawnedService[] = [];
/** What shutdown stops, in reverse: the services as started, then their supervisors. */
let stoppable: { stop(): Promise<void> }[] = running;
let influx: RunningInfluxdb | undefined;
let postgres: RunningPostgres | undefined;
let prometheus: RunningPrometheus | undefined;
let alertmanager: RunningAlertmanager | undefined;

let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  console.log('\nstopping Energymonitor…');
  for (const service of [...stoppable].reverse()) await service.stop().catch(() => undefined);
  // Stopped with the platform it watches, or it would report every process down.
  await prometheus?.stop().catch(() => undefined);
  await alertmanager?.stop().catch(() => undefined);
  await influx?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  await dataDirLock.release();
  console.log('Energymonitor stopped.');
  process.exit(code);
}

// Registered before anything starts, and kept (`on`, not `once`): a signal during start-up, or a
// second one while stopping (a supervisor may send several), must not kill this process
// with the default action before it has stopped the detached InfluxDB, PostgreSQL and Prometheus.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) console.log(`${signal} again: still stopping…`);
    void shutdown(0);
  });
}
// `kill <npm's pid>` reaches npm's shell only, which dies without passing it on (npm ignores SIGINT
// itself and leaves Ctrl-C to the terminal, which signals the whole process group).
stopWhenOrphaned({
  onOrphaned: () => {
    console.log('the command that started Energymonitor ended: stopping');
    void shutdown(0);
  },
});

try {
  console.log(`starting Energymonitor in ${dataDir}`);
  [influx, postgres] = await Promise.all([
    startInfluxdb({ dataDir: join(dataDir, 'influxdb'), httpPort: await port(8086) }),
    startPostgres({ dataDir: join(dataDir, 'postgres'), port: await port(5432) }),
  ]);
  const settings: PlatformSettings = {
    dataDir,
    repoDir,
    influxUrl: influx.url,
    databaseUrl: postgres.url,
    ports: {
      mqtt: await port(1883),
      ws: await port(8083),
      auth: await port(8081),
      brokerMetrics: await port(9101),
      writeMetrics: await port(9102),
      fleetMetrics: await port(9103),
      authMetrics: await port(9105),
      read: await port(8082),
      readMetrics: await port(9104),
      alerts: await port(8084),
      alertsMetrics: await port(9107),
      web: await port(8080),
      webMetrics: await port(9106),
    },
  };
  const { ports } = settings;
  const platformSpecs: ServiceSpec[] = [];
  const start = async (spec: ServiceSpec): Promise<void> => {
    platformSpecs.push(spec);
    running.push(await spawnService({ ...spec, logFile: join(logDir, `${spec.name}.log`) }));
  };
  await start(authService(settings));
  const agentsFile = join(dataDir, 'fleet-agents.json');
  const provisioned = await provisionHouseholds({ databaseUrl: postgres.url, households: fleetAgents - demoAgents + 1, demoAgents, agentsFile });
  const { previousFileProblem } = provisioned;
  if (previousFileProblem !== undefined && previousFileProblem !== 'missing') {
    console.log(`${agentsFile} was ${previousFileProblem}: the simulated agents have new secrets`);
  }
  const fleetPace = { publishIntervalMs: config.EM_FLEET_PUBLISH_INTERVAL_MS, sampleIntervalMs: config.EM_FLEET_SAMPLE_INTERVAL_MS };
  const { databaseUrls } = provisioned; // the broker, read and alerts services' own logins, not the superuser
  for (const spec of ingestServices(settings, { agentsFile, ...fleetPace }, { databaseUrl: databaseUrls.broker })) await start(spec);
  await start(readService(settings, { clientId: READ_SERVICE_CLIENT_ID, clientSecret: provisioned.readClientSecret, databaseUrl: databaseUrls.read }));
  await start(alertsService(settings, { clientId: ALERTS_SERVICE_CLIENT_ID, clientSecret: provisioned.alertsClientSecret, databaseUrl: databaseUrls.alerts }));
  // Monitoring runs detached from our processes (infra/prometheus.ts): it keeps alerting when they
  // fail. Started before the web server, whose operator page reads from it.
  if (prometheusEnabled()) {
    // Operators are told (EM_ALERTMANAGER_WEBHOOK_URL) rather than having to look; without a
    // webhook Alertmanager still groups and shows the alerts. EM_ALERTMANAGER=off skips it.
    const notify = alertmanagerSettingsFromEnv();
    if (notify.enabled) alertmanager = await startAlertmanager({ dataDir: join(dataDir, 'alertmanager'), port: await port(9093), webhookUrl: notify.webhookUrl });
    const jobs = { broker: ports.brokerMetrics, write: ports.writeMetrics, fleet: ports.fleetMetrics, auth: ports.authMetrics, read: ports.readMetrics, alerts: ports.alertsMetrics, web: ports.webMetrics, alertmanager: alertmanager?.port };
    prometheus = await startPrometheus({
      dataDir: join(dataDir, 'prometheus'),
      port: await port(9090),
      targets: Object.entries(jobs).flatMap(([job, p]) => (p === undefined ? [] : [{ job, port: p }])),
      alertmanagerUrl: alertmanager?.url,
    });
  }
  await start(webServer(settings, { prometheusUrl: prometheus?.url }));
  const rows: [string, string, string][] = [
    ['InfluxDB', influx.url, `pid ${influx.pid}, data ${influx.dataDir}`],
    ['PostgreSQL', `127.0.0.1:${postgres.port}`, `pid file in ${postgres.dataDir}`],
    ['auth API', authUrl(settings), 'OpenAPI at /openapi.json; JWKS at /.well-known/jwks.json'],
    ['broker MQTT', `mqtt://127.0.0.1:${ports.mqtt}`, 'devices publish here (em/v1/{household}/{agent}/readings)'],
    ['broker MQTT/WebSocket', `ws://127.0.0.1:${ports.ws}`, 'browsers and ws:// agents'],
    ...(prometheus === undefined ? [] : [['Prometheus', prometheus.url, 'alerts at /alerts; EM_PROMETHEUS=off to skip'] as [string, string, string]]),
    ...(alertmanager === undefined ? [] : [['Alertmanager', alertmanager.url, notifyNote()] as [string, string, string]]),
    ['read API', readUrl(settings), 'history, energy, cost, CSV, live SSE; OpenAPI at /openapi.json'],
    ['alerts API', alertsUrl(settings), 'homeowner alert rules, alerts, webhooks'],
    ...running.filter((s) => s.ready.metricsPort !== undefined).map((s): [string, string, string] => [`${s.name} metrics`, `http://127.0.0.1:${String(s.ready.metricsPort)}/metrics`, `pid ${s.child.pid}, log ${join(logDir, `${s.name}.log`)}`]),
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\nEnergymonitor is running:\n');
  for (const [what, where, note] of rows) console.log(`  ${what.padEnd(width)}  ${where.padEnd(34)}  ${note}`);
  console.log(`\nOpen the web app: ${webUrl(settings)}`);
  const secrets = previousFileProblem === 'missing' ? 'first start in this folder' : `${provisioned.agentSecretsKept} kept their secrets from the last start`;
  console.log(`Demo login: ${DEMO_EMAIL} / ${DEMO_PASSWORD} (household ${provisioned.demoHouseholdId}, ${demoAgents} agents; ${provisioned.agents.length} agents in all, ${secrets})`);
  console.log(`Operator login (admin, operator page at ${webUrl(settings)}operator): ${OPERATOR_EMAIL} / ${provisioned.operatorPassword} (new at every start)`);
  console.log(`Stored readings: curl -G ${influx.url}/query --data-urlencode db=energymonitor --data-urlencode "q=SELECT count(value) FROM reading"`);
  console.log('Press Ctrl-C to stop everything.\n');
  // From here on a service that exits is started again (supervise-platform.ts).
  stoppable = supervisePlatform(running, platformSpecs, { logDir, stopping: () => stopping, giveUp: () => void shutdown(1) });
} catch (err) {
  console.error(`could not start Energymonitor: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}
