// One agent process per data folder. The outbox's seq counter lives in the folder, and two agents
// on it would hand out the same seqs and remove each other's entries on PUBACK: readings lost or
// recorded twice without a trace. The second one must not start.
//
// The same mechanism as the journal's lock (lib/journal/journal-lock.ts, which explains the choice
// over PID files and flock): a listening Unix socket in Linux's abstract namespace named after the
// folder's device and inode, freed by the kernel when the holder exits, even on kill -9. Generalised
// here for any folder and purpose, because the journal's version speaks of journals and roles.
import { statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError } from '../lib/config/load-config.js';

export interface DirectoryLock {
  /** Frees the folder for another holder; harmless twice. */
  release(): Promise<void>;
}

/** A configuration mistake: two processes were given one data folder. */
export class DirectoryHeldError extends ConfigError {
  override readonly name = 'DirectoryHeldError';
}

/** How long to wait for the holder to say its PID; a busy holder may not answer. */
const ASK_HOLDER_MS = 1_000;

/**
 * Takes the existing folder `path` for `purpose` (e.g. "device-agent"). Rejects with
 * DirectoryHeldError, naming the folder and the holder's PID, while another handle holds it.
 * The lock never keeps the process alive.
 */
export async function lockDirectory(path: string, purpose: string): Promise<DirectoryLock> {
  if (process.platform !== 'linux') throw new Error(`the data folder lock needs Linux (abstract Unix sockets); this is ${process.platform}`);
  const { dev, ino } = statSync(path, { bigint: true });
  const address = `\0energymonitor-${purpose}-${dev}-${ino}`;
  // A holder that is just exiting refuses the question: its name is free again, try once more.
  for (let attempt = 0; ; attempt++) {
    const server = await tryListen(address);
    if (server !== undefined) return holding(server);
    const holder = await askHolder(address);
    if (holder !== 'gone' || attempt >= 2) {
      const pid = holder === 'gone' || holder === undefined ? 'unknown' : String(holder);
      throw new DirectoryHeldError(
        `data folder ${resolve(path)} is already in use by another ${purpose} (pid ${pid}). ` +
          'Two agents on one folder would reuse sequence numbers and overwrite each other\'s outbox: give each its own folder.',
      );
    }
  }
}

function tryListen(address: string): Promise<Server | undefined> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.unref();
    socket.end(`${JSON.stringify({ pid: process.pid })}\n`);
    socket.setTimeout(ASK_HOLDER_MS, () => socket.destroy());
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolvePromise(undefined) : reject(err)));
    server.listen({ path: address, exclusive: true }, () => resolvePromise(server));
  });
}

function holding(server: Server): DirectoryLock {
  server.unref();
  server.on('error', () => undefined);
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= new Promise((resolvePromise) => server.close(() => resolvePromise()));
      return released;
    },
  };
}

/** The holder's PID; 'gone' if nobody listens any more; undefined if it did not say in time. */
function askHolder(address: string): Promise<number | 'gone' | undefined> {
  return new Promise((resolvePromise) => {
    const socket = connect(address);
    let reply = '';
    const done = (answer: number | 'gone' | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(answer);
    };
    const timer = setTimeout(() => done(undefined), ASK_HOLDER_MS);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => {
      const pid = Number(/"pid":(\d+)/.exec(reply)?.[1]);
      done(Number.isSafeInteger(pid) ? pid : undefined);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'gone' : undefined));
  });
}
