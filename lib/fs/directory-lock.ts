// One holder per folder and purpose, across processes: the journal's appender and consumer
// (lib/journal/journal-lock.ts), a device agent's data folder (device-agent/data-dir.ts).
//
// The lock is a listening Unix socket in Linux's abstract namespace, named after the purpose and
// the folder's device and inode (so symlinks and bind mounts of one folder agree). Binding is
// atomic, a second bind fails with EADDRINUSE, and the kernel frees the name when the holder's
// last descriptor closes: on release(), on exit, on kill -9. Nothing is left on disk to clean up.
// Weighed against: a PID file (stale after kill -9; taking over a stale one by checking the PID is
// racy and fooled by PID reuse); flock/fcntl (also freed by the kernel, but Node has no binding, and
// a native addon is one more thing to build on every device); for the journal, holding an LMDB
// write transaction (lmdb-js has no try-lock: the second process would hang, not fail).
// Limits: Linux only. Abstract names are per network namespace: two containers with their own
// network namespaces sharing one volume do not see each other's lock. Any local user can bind a
// name first and so keep a service from starting (a denial, not a loss); the holder answers a
// connection with its PID only.
import { statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';

export interface DirectoryLock {
  /** Frees the folder for another holder; harmless twice. */
  release(): Promise<void>;
}

/** How long to wait for the holder to say its PID; a holder whose event loop is busy may not answer. */
const ASK_HOLDER_MS = 1_000;

/**
 * Takes the existing folder `path` for `purpose` (e.g. "journal-appender", "device-agent"). While
 * another handle holds it, in this process or any other, rejects with `refusal(pid)`: the holder's
 * PID, or "unknown" if it did not say in time. The lock never keeps the process alive.
 */
export async function lockDirectory(path: string, purpose: string, refusal: (holderPid: string) => Error): Promise<DirectoryLock> {
  if (process.platform !== 'linux') throw new Error(`the folder lock needs Linux (abstract Unix sockets); this is ${process.platform}`);
  const { dev, ino } = statSync(path, { bigint: true });
  const address = `\0energymonitor-${purpose}-${dev}-${ino}`;
  // A holder that is just exiting refuses the question: its name is free again, try once more.
  for (let attempt = 0; ; attempt++) {
    const server = await tryListen(address);
    if (server !== undefined) return holding(server);
    const holder = await askHolder(address);
    if (holder !== 'gone' || attempt >= 2) throw refusal(holder === 'gone' || holder === undefined ? 'unknown' : String(holder));
  }
}

/** The server once it listens; undefined if the name is taken. */
function tryListen(address: string): Promise<Server | undefined> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // a peer that resets must not take the holder down
    socket.unref();
    socket.end(`${JSON.stringify({ pid: process.pid })}\n`);
    // A peer that never hangs up must not hold up release() for long (close waits for connections).
    socket.setTimeout(ASK_HOLDER_MS, () => socket.destroy());
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolvePromise(undefined) : reject(err)));
    // exclusive: a cluster worker binds its own handle instead of sharing the primary's.
    server.listen({ path: address, exclusive: true }, () => resolvePromise(server));
  });
}

function holding(server: Server): DirectoryLock {
  server.unref();
  // The name stays bound whatever happens to accepting (e.g. EMFILE under load): not worth a crash.
  server.on('error', () => undefined);
  let released: Promise<void> | undefined;
  return {
    release() {
      // The name is free as soon as close() closes the listening descriptor; the callback follows.
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
    socket.on('end', () => done(parsePid(reply)));
    socket.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'gone' : undefined));
  });
}

function parsePid(reply: string): number | undefined {
  try {
    const { pid } = JSON.parse(reply) as { pid?: unknown };
    return typeof pid === 'number' && Number.isSafeInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
