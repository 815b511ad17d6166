// Ports are probed, never assumed: several developers, test runs and services share this loopback.
// A probed port can still be taken before it is used; callers that start a server retry on
// "address already in use" with a fresh probe.
import { createServer } from 'node:net';

/** Asks the kernel for an unused TCP port on `host` (listen on port 0, read it, close). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
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
