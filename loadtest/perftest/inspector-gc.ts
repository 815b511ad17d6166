// A full garbage collection in another Node process, through its inspector (started with
// --inspect=127.0.0.1:0). The connection storm uses it to tell what a broker keeps per connection
// (live objects) from what a connect burst left behind for V8 to collect some time later.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** The inspector flag for NODE_OPTIONS: a free port on loopback, announced on stderr. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** Finds "Debugger listening on ws://…" in a log file the process's stderr goes to. */
export async function inspectorUrlFromLog(logFile: string, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
    if (match !== null) return match[1]!;
    if (Date.now() > deadline) throw new Error(`no inspector URL in ${logFile}`);
    await sleep(100);
  }
}

/** HeapProfiler.collectGarbage: resolves once the process has run a full GC. */
export async function collectGarbage(inspectorUrl: string): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error === undefined) resolve();
        else reject(new Error(`collectGarbage: ${reply.error.message}`));
      });
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    socket.close();
  }
}
