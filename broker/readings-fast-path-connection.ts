// What the readings fast path (readings-fast-path.ts) keeps per connection, on the socket itself:
// its publishes waiting for the journal (flow control), the PUBLISH packets left to Aedes that it
// has not published yet (order), and whether a DISCONNECT went to Aedes.
import type { Duplex } from 'node:stream';
import type { Client } from 'aedes';

/**
 * Publishes one connection may have waiting for the journal. An agent has one in flight; a load
 * generator 16; Aedes' own bound is one socket read, about 130 publishes of 500 bytes.
 */
export const MAX_IN_FLIGHT = 128;

export interface ConnectionState {
  readonly client: Client;
  inFlight: number;
  /** Reading was stopped for too many publishes in flight. */
  held: boolean;
  /** A DISCONNECT went to Aedes: nothing after it is taken. */
  ended: boolean;
  /** PUBLISH packets left to Aedes that it has not published yet: while any, nothing is taken (order). */
  withAedes: number;
}

export const STATE = Symbol('readings-fast-path');
export type FastPathSocket = Duplex & { [STATE]?: ConnectionState };

export function attachConnection(socket: Duplex, client: Client): void {
  (socket as FastPathSocket)[STATE] = { client, inFlight: 0, held: false, ended: false, withAedes: 0 };
}

/** A taken publish was settled (acknowledged or refused): one fewer in flight. */
export function inFlightDone(socket: FastPathSocket, state: ConnectionState): void {
  state.inFlight--;
  if (state.held && state.inFlight <= MAX_IN_FLIGHT / 2 && !socket.destroyed) {
    state.held = false;
    // The socket stopped reading when push said so, and its _read (socket-guard.ts) refused to
    // start it since: start it now.
    socket._read(0);
  }
}

export function connectionMayRead(socket: FastPathSocket): boolean {
  const state = socket[STATE];
  if (state === undefined) return true;
  if (state.held || state.inFlight >= MAX_IN_FLIGHT) {
    state.held = true;
    return false;
  }
  return true;
}

export function publishedByAedes(client: Client): void {
  const state = (client.conn as FastPathSocket | undefined)?.[STATE];
  // Aedes also publishes what no connection of ours sent (wills, our own forwards): clamp.
  if (state !== undefined && state.withAedes > 0) state.withAedes--;
}
