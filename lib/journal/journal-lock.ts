// One appender and one consumer per journal (docs/decisions/002-journal-lmdb.md, "one holder per
// role"). Journal keys are a per-process counter and the consumer's cursor is per process too: a
// second broker appending to the same journal can push the cursor past the first broker's future
// keys, and a second write service can move the cursor over entries the first is still writing.
// Either loses acknowledged readings without a trace, so a second holder of a role must not start.
//
// The lock is a listening Unix socket in Linux's abstract namespace, named after the role and the
// journal directory's device and inode (so symlinks and bind mounts of one directory agree). Binding
// is atomic, a second bind fails with EADDRINUSE, and the kernel frees the name when the holder's
// last descriptor closes: on close(), on exit, on kill -9. Nothing is left on disk to clean up.
// Weighed against: a PID file (stale after kill -9; taking over a stale one by checking the PID is
// racy and fooled by PID reuse); flock/fcntl (also freed by the kernel, but Node has no binding, and
// a native addon is one more thing to build on every device); holding an LMDB write transaction
// (lmdb-js has no try-lock: the second process would hang, not fail).
// Limits: Linux only. Abstract names are per network namespace: two containers with their own
// network namespaces sharing one journal volume do not see each other's lock (run them in one, or
// give each its own journal). Any local user can bind a name first and so keep a service from
// starting (a denial, not a loss); the holder answers a connection with its PID only.
import { mkdirSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError } from '../config/load-config.js';

/** Appender: the broker (appends, trims). Consumer: the write service (peeks, moves the cursor). */
export type JournalRole = 'appender' | 'consumer';

export interface JournalLock {
  readonly role: JournalRole;
  /** Frees the role for another holder; harmless twice. */
  release(): Promise<void>;
}

/** A configuration mistake: two processes were given one journal for the same role. */
export class JournalHeldError extends ConfigError {
  override readonly name = 'JournalHeldError';
}

const WHO: Record<JournalRole, string> = { appender: 'appender (a broker)', consumer: 'consumer (a write service)' };
/** How long to wait for the holder to say its PID; a holder whose event loop is busy may not answer. */
const ASK_HOLDER_MS = 1_000;

/**
 * Takes `role` on the journal at `path` (a directory, created if missing) for this handle. Rejects
 * with JournalHeldError, naming the path and the holder's PID, while another handle holds it, in
 * this process or any other. The lock never keeps the process alive.
 */
export async function lockJournal(path: string, role: JournalRole): Promise<JournalLock> {
  if (process.platform !== 'linux') throw new Error(`the journal lock needs Linux (abstract Unix sockets); this is ${process.platform}`);
  mkdirSync(path, { recursive: true });
  const { dev, ino } = statSync(path, { bigint: true });
  const address = `\0energymonitor-journal-${role}-${dev}-${ino}`;
  // A holder that is just exiting refuses the question: its name is free again, try once more.
  for (let attempt = 0; ; attempt++) {
    const server = await tryListen(address);
    if (server !== undefined) return holding(server, role);
    const holder = await askHolder(address);
    if (holder !== 'gone' || attempt >= 2) {
      const pid = holder === 'gone' || holder === undefined ? 'unknown' : String(holder);
      throw new JournalHeldError(
        `journal ${resolve(path)} is already open as its ${WHO[role]} by pid ${pid}. ` +
          'Only one process per role may open a journal: give each broker its own journal path, with one write service beside it.',
      );
    }
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

function holding(server: Server, role: JournalRole): JournalLock {
  server.unref();
  // The name stays bound whatever happens to accepting (e.g. EMFILE under load): not worth a crash.
  server.on('error', () => undefined);
  let released: Promise<void> | undefined;
  return {
    role,
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
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}
