// The address a client connects from, as per-address limits count it (auth-failure-throttle.ts):
// the TCP peer of its connection. Over TCP, Aedes' client.conn is the socket itself; over WebSocket
// it is the GuardedConnection the listener made, which carries the upgrade's TCP peer
// (listeners.ts). Behind a reverse proxy that is the proxy's address, shared by every client behind
// it: X-Forwarded-For is not read, since any client can write one and the broker has no list of
// proxies to believe it from (the auth service has one: EM_AUTH_TRUST_PROXY).
import type { Client } from 'aedes';

/** Undefined when the connection has already closed (Node then no longer knows its peer). */
export function clientAddress(client: Client): string | undefined {
  const address = (client.conn as { remoteAddress?: unknown } | undefined)?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}
