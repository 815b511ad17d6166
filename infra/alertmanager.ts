// A private Alertmanager (Debian's prometheus-alertmanager package, 0.25) in its own folder on a
// probed loopback port: Prometheus sends it the alerts it fires, and it tells operators (a
// webhook) — grouped, repeated, resolved. Detached like Prometheus, for the same reason: it must
// outlive what it watches. One folder = one server: start reuses (and reloads) a live one once it
// answers, and never starts a second one beside a silent one (see recorded-server.ts).
// Clustering is off (`--cluster.listen-address=`): one instance, no gossip port to collide on.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderAlertmanagerConfig, type AlertmanagerTimings } from './alertmanager-config.js';
import { anyExists, ensureAptPackage } from './apt.js';
import { findFreePort } from './free-port.js';
import { awaitReadyDaemon, isDaemonReady, launchDaemon, readLiveDaemonState, reloadDaemon, type DaemonProgram, type DaemonState } from './prometheus-daemon.js';
import { makePrivateFolder } from './private-folder.js';
import { PortInUseError, waitUntil } from './process-tools.js';
import { stopRecordedServer, type ServerProcess } from './recorded-server.js';
import { isRoot } from './run-command.js';

export type StartAlertmanagerOptions = {
  /** The server's own folder (alertmanager.yml, data/, log), e.g. `.data/alertmanager`. */
  readonly dataDir: string;
  /** 0 or undefined: probe a free port. Ignored when the folder's Alertmanager is already running. */
  readonly port?: number;
  /** Generic webhook for notifications; undefined means log only (alerts visible in the UI). */
  readonly webhookUrl?: string;
  /** Production defaults otherwise; tests shorten them to about a second. */
  readonly timings?: Partial<AlertmanagerTimings>;
  /** How long an Alertmanager already running in the folder may take to get ready before start fails. Default 30 s. */
  readonly answerTimeoutMs?: number;
};

export type RunningAlertmanager = {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
};

export const ALERTMANAGER_PATHS = ['/usr/bin/prometheus-alertmanager'];
export const AMTOOL_PATHS = ['/usr/bin/amtool', '/usr/local/bin/amtool'];
const ALERTMANAGER: DaemonProgram = { label: 'Alertmanager', paths: ALERTMANAGER_PATHS, command: 'prometheus-alertmanager' };
type AlertmanagerState = DaemonState;

const files = (dataDir: string) => ({
  state: join(dataDir, 'alertmanager.pid.json'),
  config: join(dataDir, 'alertmanager.yml'),
  storage: join(dataDir, 'data'),
  log: join(dataDir, 'alertmanager.log'),
});
const alertmanagerProcess = (dataDir: string): ServerProcess => ({ program: ALERTMANAGER.command, configArg: `--config.file=${files(dataDir).config}` });

export async function ensureAlertmanagerInstalled(): Promise<void> {
  const installed = (): boolean => anyExists(ALERTMANAGER_PATHS) && anyExists(AMTOOL_PATHS);
  try {
    await ensureAptPackage('prometheus-alertmanager', installed);
  } catch (error) {
    // Parallel test workers: another one may hold the dpkg lock installing this very package.
    if (!isRoot() || !(await waitUntil(() => Promise.resolve(installed()), 300_000, 1_000))) throw error;
  }
}

export async function startAlertmanager(options: StartAlertmanagerOptions): Promise<RunningAlertmanager> {
  await ensureAlertmanagerInstalled();
  const dataDir = resolve(options.dataDir);
  await makePrivateFolder(dataDir);
  await mkdir(files(dataDir).storage, { recursive: true, mode: 0o700 });
  // Waited for before its configuration is rewritten: a silent one is left as it was.
  const state = await awaitReadyDaemon(files(dataDir).state, alertmanagerProcess(dataDir), dataDir, options.answerTimeoutMs ?? 30_000);
  // The webhook URL may carry a token: only we read the file.
  await writeFile(files(dataDir).config, renderAlertmanagerConfig(options), { mode: 0o600 });
  if (state) {
    await reloadDaemon(ALERTMANAGER, `http://127.0.0.1:${state.port}`);
    return handle(dataDir, state);
  }
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port || (await findFreePort());
    try {
      return await launch(dataDir, port);
    } catch (error) {
      if (!(error instanceof PortInUseError) || options.port || attempt >= 3) throw error;
    }
  }
}

/** The live Alertmanager recorded in `dataDir` that answers /-/ready, if any. */
export async function findRunningAlertmanager(dataDir: string): Promise<RunningAlertmanager | undefined> {
  const absolute = resolve(dataDir);
  const state = await readLiveDaemonState(files(absolute).state, alertmanagerProcess(absolute));
  if (!state || !(await isDaemonReady(`http://127.0.0.1:${state.port}`))) return undefined;
  return handle(absolute, state);
}

/** The live Alertmanager recorded in `dataDir`, ready or not (pid and port), if any. */
export async function findAlertmanagerProcess(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  const absolute = resolve(dataDir);
  return readLiveDaemonState(files(absolute).state, alertmanagerProcess(absolute));
}

/** Stops the Alertmanager recorded in `dataDir` (SIGTERM, SIGKILL after 10 s), ready or not; a no-op if none runs. */
export function stopAlertmanager(dataDir: string): Promise<void> {
  const absolute = resolve(dataDir);
  return stopRecordedServer(files(absolute).state, alertmanagerProcess(absolute));
}

async function launch(dataDir: string, port: number): Promise<RunningAlertmanager> {
  const paths = files(dataDir);
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${paths.config}`,
    `--storage.path=${paths.storage}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}`, // links in notifications point at this UI
    '--cluster.listen-address=',
    '--log.level=info',
  ];
  const pid = await launchDaemon(ALERTMANAGER, {
    args,
    url,
    dataDir,
    logPath: paths.log,
    recordPid: (spawned) => writeFile(paths.state, `${JSON.stringify({ pid: spawned, port } satisfies AlertmanagerState)}\n`),
    stop: () => stopAlertmanager(dataDir),
  });
  return handle(dataDir, { pid, port });
}


function handle(dataDir: string, state: AlertmanagerState): RunningAlertmanager {
  return {
    url: `http://127.0.0.1:${state.port}`,
    port: state.port,
    pid: state.pid,
    dataDir,
    stop: () => stopAlertmanager(dataDir),
  };
}
