// Mosquitto as a perftest target. Mosquitto has no journal, so "stored" is what a persistent-session
// QoS1 subscriber (`em/v1/+/+/readings`) received: the closest analogue of our journal, which the
// write service drains. The subscriber runs in its own process (mosquitto-drain.ts) so the load
// generator does the same work against both brokers. Mosquitto acknowledges before anything
// reaches disk (it saves its persistence file periodically and at shutdown); the report says so.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMosquitto } from '../../infra/mosquitto.js';

export interface MosquittoTarget {
  readonly url: string;
  readonly pid: number;
  /** The subscriber's process, for its CPU share. */
  readonly drainPid: number | undefined;
  readonly received: () => Promise<number>;
  stop(): Promise<void>;
}

const drainScript = fileURLToPath(new URL('./mosquitto-drain.ts', import.meta.url));

function reply<T>(child: ChildProcess, key: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Mosquitto drain subscriber sent no "${key}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      if (typeof message === 'object' && message !== null && key in message) finish(undefined, (message as Record<string, T>)[key]);
    };
    const onExit = (code: number | null): void => finish(new Error(`Mosquitto drain subscriber exited (code ${code})`));
    function finish(error?: Error, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error === undefined) resolve(value as T);
      else reject(error);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startMosquittoTarget(dataDir: string): Promise<MosquittoTarget> {
  const mosquitto = await startMosquitto({ dataDir });
  const drain = fork(drainScript, [mosquitto.url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await reply<boolean>(drain, 'ready', 30_000);
    return {
      url: mosquitto.url,
      pid: mosquitto.pid,
      drainPid: drain.pid,
      received: () => {
        const answer = reply<number>(drain, 'received', 10_000);
        drain.send('count');
        return answer;
      },
      stop: async () => {
        if (drain.exitCode === null && drain.signalCode === null) {
          const exited = new Promise((resolve) => drain.once('exit', resolve));
          if (drain.connected) drain.disconnect();
          else drain.kill('SIGTERM');
          await exited;
        }
        await mosquitto.stop();
      },
    };
  } catch (error) {
    drain.kill('SIGKILL');
    await mosquitto.stop();
    throw error;
  }
}
