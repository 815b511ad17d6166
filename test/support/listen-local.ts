// Starts a Fastify app on a free loopback port (port 0) and returns its base URL: the stand-in
// upstreams of the web server's tests.
import type { FastifyInstance } from 'fastify';

export async function listenLocal(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
