// The PostgreSQL pool of every service (broker, read, alerts, and the auth service beneath its
// error translation, services/auth/data/db.ts).
//
// node-postgres emits 'error' on the pool when an idle client's connection ends: a database
// restart, a failover, pg_terminate_backend, or a proxy's idle timeout. An 'error' event without
// a listener ends the process, so every pool gets one; the pool opens a new connection for the
// next query. A query while the database is away fails within connectionTimeoutMillis instead of
// queueing without end, and the caller answers "unavailable" (CONNACK 0x03, HTTP 503).
import pg from 'pg';
import type { Logger } from '../log.js';

export interface ServicePoolOptions {
  readonly databaseUrl: string;
  readonly max: number;
  /** Shown in pg_stat_activity, so an operator sees which service holds which connection. */
  readonly applicationName: string;
  readonly log: Logger;
  /** A query not answered within this fails (node-postgres' query_timeout); default none. */
  readonly queryTimeoutMs?: number;
  /** An idle connection is closed after this; default node-postgres' 10 s. */
  readonly idleTimeoutMs?: number;
}

export const CONNECTION_TIMEOUT_MS = 3_000;

export function openServicePool(options: ServicePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.max,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    application_name: options.applicationName,
    ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMillis: options.idleTimeoutMs }),
  });
  pool.on('error', (err) => options.log.warn({ err: err.message }, 'idle PostgreSQL connection lost; the pool reconnects on the next query'));
  return pool;
}
