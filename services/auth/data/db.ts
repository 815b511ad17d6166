// The one way the auth service talks to PostgreSQL: the services' pool (lib/pg/service-pool.ts:
// idle-connection errors logged instead of crashing the process, a connect timeout, the service's
// name in pg_stat_activity) whose connection failures become a 503 `database-unavailable` instead
// of a 500. The pool opens new connections on demand, so service resumes when the database returns.
import type { Logger } from '../../../lib/log.js';
import { openServicePool } from '../../../lib/pg/service-pool.js';
import { databaseUnavailable } from '../errors.js';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on any error). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot
// connect now), and Node socket errors: the database is away, not the query wrong.
const UNAVAILABLE_CODES = /^(08|57P|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)/;
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGES.test(err.message);
}

function translate(err: unknown): never {
  throw isDatabaseUnavailable(err) ? databaseUnavailable() : err;
}

export function createDb(databaseUrl: string, log: Logger, options: { readonly max?: number } = {}): Db {
  // Auth's own, on top of the services' pool: a query that hangs (a lock, a stuck server) fails
  // after 10 s instead of holding its request and connection; idle connections are kept 30 s.
  const pool = openServicePool({ databaseUrl, max: options.max ?? 10, applicationName: 'energymonitor-auth', log, queryTimeoutMs: 10_000, idleTimeoutMs: 30_000 });
  const query = async <R extends Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> => {
    try {
      return (await pool.query<R>(sql, [...params])).rows;
    } catch (err) {
      return translate(err);
    }
  };
  return {
    query,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch(translate);
      // A client whose connection dies mid-transaction emits 'error'; the pool's handler does not cover it.
      const onError = (err: Error): void => log.warn({ err: err.message }, 'database connection lost in a transaction');
      client.on('error', onError);
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: Queryable = { query: async <R extends Row>(sql: string, params: readonly unknown[] = []) => (await client.query<R>(sql, [...params])).rows };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = isDatabaseUnavailable(err);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        return translate(err);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
