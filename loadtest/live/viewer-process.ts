// The parent's side of the SSE viewer process (sse-viewers.ts), for bench:live and perftest's
// live-fanout mode: fork it, and ask one question at a time over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Viewer {
  readonly householdId: string;
  readonly token: string;
}

export interface ViewersOpened {
  readonly ok: number;
  readonly failed: number;
  readonly ms: number;
}

export interface ViewerReport {
  readonly latenciesMs: number[];
  /** Each event's publish time, epoch ms, in the order of latenciesMs. */
  readonly sentAtMs: number[];
  readonly events: number;
  readonly resyncs: number;
  readonly bytes: number;
}

export interface ViewerProcess {
  readonly child: ChildProcess;
  /** Opens every stream; resolves once each answered its headers (or failed). */
  open(url: string, viewers: readonly Viewer[], concurrency: number): Promise<ViewersOpened>;
  /** The samples since the last report or reset, which it then forgets. */
  report(): Promise<ViewerReport>;
  /** Forgets the samples without sending them (a warm-up's are many: sending them held the viewer's loop). */
  reset(): Promise<void>;
  /** Events delivered since the streams opened. */
  delivered(): Promise<number>;
  stop(): void;
}

export function startViewerProcess(): ViewerProcess {
  const child = fork(fileURLToPath(new URL('./sse-viewers.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: object, answerKind: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { kind?: string }): void => {
        if (m.kind !== answerKind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (): void => reject(new Error('the SSE viewer process exited'));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(message);
    });
  return {
    child,
    open: (url, viewers, concurrency) => ask<ViewersOpened>({ kind: 'open', url, viewers, concurrency }, 'opened'),
    report: () => ask<ViewerReport>({ kind: 'report' }, 'report'),
    reset: async () => {
      await ask({ kind: 'reset' }, 'reset');
    },
    delivered: async () => (await ask<{ delivered: number }>({ kind: 'count' }, 'count')).delivered,
    stop: () => {
      if (child.connected) child.send({ kind: 'exit' });
      else child.kill();
    },
  };
}
