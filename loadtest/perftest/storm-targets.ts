// The brokers a connection storm runs against, each as its own process with its soft open-files
// limit raised to the hard limit: our broker (EM_BROKER_AUTH=disabled), bare Aedes with no hooks
// (loadtest/bare-aedes-server.ts), and Mosquitto (Debian package, infra/mosquitto.ts).
import { startMosquitto } from '../../infra/mosquitto.js';
import { spawnService } from '../../lib/process/spawn-service.js';
import { metricValue, scrape } from '../lib/prometheus-text.js';
import type { StormTargetName } from './options.js';
import { collectGarbage, INSPECT_FLAG, inspectorUrlFromLog } from './inspector-gc.js';
import { startOurBroker } from './our-services.js';
import { raiseOpenFilesLimit } from './proc-stats.js';


export interface StormTarget {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly openFiles: { readonly soft: number; readonly hard: number };
  /** V8 heap in use and committed (used + free pages V8 keeps), for Node brokers; undefined for Mosquitto. */
  heap(): Promise<HeapFigures | undefined>;
  /** Runs a full GC in a Node broker (through its inspector); undefined for Mosquitto. */
  readonly collectGarbage: (() => Promise<void>) | undefined;
  stop(): Promise<void>;
}

export interface HeapFigures {
  readonly usedBytes: number;
  readonly totalBytes: number;
}

export interface StormTargetOptions {
  readonly folder: string;
  /** NODE_OPTIONS for both Node brokers (V8 flags); '' for none. */
  readonly nodeOptions: string;
}

const heapFrom = (url: string) => async (): Promise<HeapFigures | undefined> => {
  const text = await scrape(url);
  return { usedBytes: metricValue(text, 'nodejs_heap_size_used_bytes'), totalBytes: metricValue(text, 'nodejs_heap_size_total_bytes') };
};

async function withRaisedLimit(pid: number | undefined, stop: () => Promise<void>): Promise<{ pid: number; openFiles: { soft: number; hard: number } }> {
  try {
    if (pid === undefined) throw new Error('storm target has no pid');
    return { pid, openFiles: await raiseOpenFilesLimit(pid) };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function startStormTarget(name: StormTargetName, options: StormTargetOptions): Promise<StormTarget> {
  const nodeEnv: Record<string, string> = { NODE_OPTIONS: `${options.nodeOptions} ${INSPECT_FLAG}`.trim() };
  if (name === 'ours') {
    // Not durable: no publishes in a storm, and fsync settings do not change per-connection memory.
    const broker = await startOurBroker(options.folder, false, nodeEnv);
    const url = new URL(broker.url);
    const inspector = await inspectorUrlFromLog(`${options.folder}/broker.log`);
    return { collectGarbage: () => collectGarbage(inspector), label: 'energymonitor broker', host: url.hostname, port: Number(url.port), ...(await withRaisedLimit(broker.pid, () => broker.stop())), heap: heapFrom(broker.metricsUrl), stop: () => broker.stop() };
  }
  if (name === 'bare-aedes') {
    const bare = await spawnService({ name: 'bare-aedes', entry: 'loadtest/bare-aedes-server.ts', readyMessage: 'bare aedes listening', env: nodeEnv, logFile: `${options.folder}/bare-aedes.log` });
    const stop = (): Promise<void> => bare.stop();
    const metrics = `http://127.0.0.1:${Number(bare.ready.metricsPort)}/metrics`;
    const inspector = await inspectorUrlFromLog(`${options.folder}/bare-aedes.log`);
    return { collectGarbage: () => collectGarbage(inspector), label: 'bare aedes 1.2', host: '127.0.0.1', port: Number(bare.ready.mqttPort), ...(await withRaisedLimit(bare.child.pid, stop)), heap: heapFrom(metrics), stop };
  }
  const mosquitto = await startMosquitto({ dataDir: `${options.folder}/mosquitto` });
  return { collectGarbage: undefined, label: 'mosquitto', host: '127.0.0.1', port: mosquitto.port, ...(await withRaisedLimit(mosquitto.pid, () => mosquitto.stop())), heap: () => Promise.resolve(undefined), stop: () => mosquitto.stop() };
}
