// Ports are probed, never assumed: several developers, test runs and services share this loopback.
// A probed port is closed again before the server that wants it binds it, and in that window the
// kernel may hand it out: to a `listen(0)` elsewhere, or as the source port of any outgoing
// connection (both draw from net.ipv4.ip_local_port_range, 32768–60999 by default). Under a busy
// test run that happened (a broker failed to start with EADDRINUSE). So probes pick random ports
// *below* the ephemeral range, which the kernel never hands out by itself, and bind-test each;
// port 0 is the fallback when that range is unusable. Callers that start a server may still retry.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port probed: above the well-known and most registered service ports people run by hand. */
const PROBE_FLOOR = 20_000;
const PROBE_ATTEMPTS = 64;
/** Ports this process handed out recently, so two probes in a row never return the same one. */
const handedOut = new Set<number>();

/** The kernel's ephemeral range, read once; Linux default when it cannot be read. */
export function ephemeralPortRange(text?: string): { readonly low: number; readonly high: number } {
  let source = text;
  if (source === undefined) {
    try {
      source = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    } catch {
      source = '';
    }
  }
  const [low, high] = source.trim().split(/\s+/).map(Number);
  if (low === undefined || high === undefined || !Number.isInteger(low) || !Number.isInteger(high) || low > high) {
    return { low: 32_768, high: 60_999 };
  }
  return { low, high };
}

/** Where probes look: [PROBE_FLOOR, ephemeral low) when that is a usable span, else undefined. */
export function probeSpan(range: { readonly low: number }): { readonly from: number; readonly to: number } | undefined {
  const to = range.low - 1;
  return to - PROBE_FLOOR >= 1_000 ? { from: PROBE_FLOOR, to } : undefined;
}

let span: { readonly from: number; readonly to: number } | undefined | null = null;

/** An unused TCP port on `host` that the kernel will not give to someone else on its own. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  if (span === null) span = probeSpan(ephemeralPortRange());
  if (span !== undefined) {
    for (let attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
      const port = span.from + Math.floor(Math.random() * (span.to - span.from + 1));
      if (handedOut.has(port)) continue;
      remember(port); // before the bind test, so a concurrent probe in this process skips it
      if (await isPortFree(port, host)) return port;
      handedOut.delete(port);
    }
  }
  return remember(await kernelPickedPort(host));
}

function remember(port: number): number {
  handedOut.add(port);
  if (handedOut.size > 4_096) handedOut.delete(handedOut.values().next().value as number);
  return port;
}

/** Listen on port 0, read the port, close: the kernel's choice, from the ephemeral range. */
function kernelPickedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((closeError) => {
        if (closeError) reject(closeError);
        else if (port === 0) reject(new Error(`could not read a probed port on ${host}`));
        else resolve(port);
      });
    });
  });
}

/** True when nothing listens on `host:port` right now (a bind test; the answer can age quickly). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The preferred port when it is free, else a probed one; `fellBack` says which happened. */
export async function preferredOrFreePort(
  preferred: number,
  host = '127.0.0.1',
): Promise<{ port: number; fellBack: boolean }> {
  if (await isPortFree(preferred, host)) return { port: preferred, fellBack: false };
  return { port: await findFreePort(host), fellBack: true };
}
