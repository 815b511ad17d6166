// The one way the auth service talks to PostgreSQL: a pg Pool whose connection failures become a
// 503 `database-unavailable` instead of a 500, and whose idle-client errors are logged instead of
// crashing the process (pg emits 'error' on the pool when an idle connection dies; unhandled, Node
// exits). The Pool opens new connections on demand, so service resumes when the database returns.
import pg from 'pg';
import type { Logger } from '../../../lib/log.js';
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
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    // Fail a request within seconds when the database is away rather than queueing it forever.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    query_timeout: 10_000,
  });
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection lost; the pool will reconnect'));
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
