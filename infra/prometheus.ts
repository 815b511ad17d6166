// A private Prometheus (Debian's prometheus package) in its own folder on a probed loopback port,
// scraping the platform's processes and evaluating infra/prometheus/rules/*.yml.
// It runs detached, like influxd: monitoring must not share fate with what it watches, so it
// outlives the process that started it and depends on nothing of ours (no InfluxDB, no broker).
// One folder = one server: start reuses (and reloads) a live Prometheus recorded in the folder, once
// it answers; it never starts a second one beside a silent one (see recorded-server.ts).
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anyExists, ensureAptPackage } from './apt.js';
import { findFreePort } from './free-port.js';
import { overrideAlertFor, renderPrometheusConfig, renderTargets, type ScrapeTarget } from './prometheus-config.js';
import { awaitReadyDaemon, isDaemonReady, launchDaemon, readLiveDaemonState, reloadDaemon, type DaemonProgram, type DaemonState } from './prometheus-daemon.js';
import { makePrivateFolder } from './private-folder.js';
import { PortInUseError, waitUntil } from './process-tools.js';
import { stopRecordedServer, type ServerProcess } from './recorded-server.js';
import { isRoot } from './run-command.js';

export type { ScrapeTarget };

export type StartPrometheusOptions = {
  readonly dataDir: string;
  /** 0 or undefined: probe a free port. Ignored when the folder's Prometheus is already running. */
  readonly port?: number;
  readonly targets: readonly ScrapeTarget[];
  /** Default 15 s for both. Tests use about 1 s. */
  readonly scrapeIntervalMs?: number;
  readonly evaluationIntervalMs?: number;
  /** Replaces every rule's `for:` (tests, demos); the checked-in durations otherwise. */
  readonly alertForMs?: number;
  readonly retentionDays?: number;
  /** An Alertmanager (infra/alertmanager.ts) to send alerts to, e.g. http://127.0.0.1:9093; none: alerts stay in Prometheus. */
  readonly alertmanagerUrl?: string;
  /** How long a Prometheus already running in the folder may take to get ready before start fails. Default 30 s. */
  readonly answerTimeoutMs?: number;
};

export type RunningPrometheus = {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** Rewrites the scrape targets; Prometheus notices the file by itself (file_sd). */
  setTargets(targets: readonly ScrapeTarget[]): Promise<void>;
  stop(): Promise<void>;
};

export const PROMETHEUS_PATHS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'];
export const PROMTOOL_PATHS = ['/usr/bin/promtool', '/usr/local/bin/promtool'];
/** The checked-in alert rules (and their promtool unit tests next door). */
export const RULES_SOURCE_DIR = fileURLToPath(new URL('./prometheus/rules/', import.meta.url));
const PROMETHEUS: DaemonProgram = { label: 'Prometheus', paths: PROMETHEUS_PATHS, command: 'prometheus' };
type PrometheusState = DaemonState;

const files = (dataDir: string) => ({
  state: join(dataDir, 'prometheus.pid.json'),
  config: join(dataDir, 'prometheus.yml'),
  targets: join(dataDir, 'targets.json'),
  rules: join(dataDir, 'rules'),
  tsdb: join(dataDir, 'data'),
  log: join(dataDir, 'prometheus.log'),
});
const prometheusProcess = (dataDir: string): ServerProcess => ({ program: PROMETHEUS.command, configArg: `--config.file=${files(dataDir).config}` });

/** EM_PROMETHEUS=off switches monitoring off for `npm start`; anything else (or unset) means on. */
export function prometheusEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.EM_PROMETHEUS?.trim().toLowerCase() !== 'off';
}

export async function ensurePrometheusInstalled(): Promise<void> {
  const installed = (): boolean => anyExists(PROMETHEUS_PATHS) && anyExists(PROMTOOL_PATHS);
  try {
    await ensureAptPackage('prometheus', installed);
  } catch (error) {
    // Test workers start in parallel: another one may hold the dpkg lock installing this very
    // package. Give it time to finish rather than fail on the lock.
    if (!isRoot() || !(await waitUntil(() => Promise.resolve(installed()), 300_000, 1_000))) throw error;
  }
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  await ensurePrometheusInstalled();
  const dataDir = resolve(options.dataDir);
  await makePrivateFolder(dataDir);
  // Waited for before any file is rewritten: a silent one is left as it was.
  const running = await awaitReadyDaemon(files(dataDir).state, prometheusProcess(dataDir), dataDir, options.answerTimeoutMs ?? 30_000);
  for (let attempt = 1; ; attempt += 1) {
    const port = running?.port ?? (options.port || (await findFreePort()));
    await writeFiles(dataDir, port, options);
    if (running) {
      await reloadDaemon(PROMETHEUS, `http://127.0.0.1:${running.port}`);
      return handle(dataDir, running);
    }
    try {
      return await launchPrometheus(dataDir, port, options.retentionDays ?? 15);
    } catch (error) {
      const retry = error instanceof PortInUseError && !options.port && attempt < 3;
      if (!retry) throw error;
    }
  }
}

/** The live Prometheus recorded in `dataDir` that answers /-/ready, if any. */
export async function findRunningPrometheus(dataDir: string): Promise<RunningPrometheus | undefined> {
  const absolute = resolve(dataDir);
  const state = await readLiveDaemonState(files(absolute).state, prometheusProcess(absolute));
  if (!state || !(await isDaemonReady(`http://127.0.0.1:${state.port}`))) return undefined;
  return handle(absolute, state);
}

/** The live Prometheus recorded in `dataDir`, ready or not (pid and port), if any. */
export async function findPrometheusProcess(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  const absolute = resolve(dataDir);
  return readLiveDaemonState(files(absolute).state, prometheusProcess(absolute));
}

/** Stops the Prometheus recorded in `dataDir` (SIGTERM, SIGKILL after 10 s), ready or not; a no-op if none runs. */
export function stopPrometheus(dataDir: string): Promise<void> {
  const absolute = resolve(dataDir);
  return stopRecordedServer(files(absolute).state, prometheusProcess(absolute));
}

async function writeFiles(dataDir: string, port: number, options: StartPrometheusOptions): Promise<void> {
  const paths = files(dataDir);
  await rm(paths.rules, { recursive: true, force: true });
  await mkdir(paths.rules, { recursive: true });
  for (const name of (await readdir(RULES_SOURCE_DIR)).filter((file) => file.endsWith('.yml'))) {
    const text = await readFile(join(RULES_SOURCE_DIR, name), 'utf8');
    const rendered = options.alertForMs === undefined ? text : overrideAlertFor(text, options.alertForMs);
    await writeFile(join(paths.rules, name), rendered);
  }
  await writeTargets(dataDir, options.targets);
  const config = renderPrometheusConfig({
    ownPort: port,
    targetsFile: paths.targets,
    ruleFilesGlob: join(paths.rules, '*.yml'),
    scrapeIntervalMs: options.scrapeIntervalMs ?? 15_000,
    evaluationIntervalMs: options.evaluationIntervalMs ?? 15_000,
    alertmanagerUrl: options.alertmanagerUrl,
  });
  await writeFile(paths.config, config);
}

/** Write-then-rename: Prometheus watches the file and must never read half of it. */
async function writeTargets(dataDir: string, targets: readonly ScrapeTarget[]): Promise<void> {
  const path = files(dataDir).targets;
  await writeFile(`${path}.tmp`, renderTargets(targets));
  await rename(`${path}.tmp`, path);
}

async function launchPrometheus(dataDir: string, port: number, retentionDays: number): Promise<RunningPrometheus> {
  const paths = files(dataDir);
  const args = [
    `--config.file=${paths.config}`,
    `--storage.tsdb.path=${paths.tsdb}`,
    `--storage.tsdb.retention.time=${retentionDays}d`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle', // POST /-/reload when start() finds it already running
    '--log.level=warn',
  ];
  const pid = await launchDaemon(PROMETHEUS, {
    args,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    logPath: paths.log,
    recordPid: (spawned) => writeFile(paths.state, `${JSON.stringify({ pid: spawned, port } satisfies PrometheusState)}\n`),
    stop: () => stopPrometheus(dataDir),
  });
  return handle(dataDir, { pid, port });
}


function handle(dataDir: string, state: PrometheusState): RunningPrometheus {
  return {
    url: `http://127.0.0.1:${state.port}`,
    port: state.port,
    pid: state.pid,
    dataDir,
    setTargets: (targets) => writeTargets(dataDir, targets),
    stop: () => stopPrometheus(dataDir),
  };
}
