// The InfluxDB 1.x `/query` endpoint as the read service uses it: InfluxQL in, series out,
// millisecond epochs. A server that cannot be reached, times out or answers 5xx is
// InfluxUnavailableError (the API answers 503 and recovers when InfluxDB is back, nothing to reset:
// fetch opens a new connection per attempt); a statement InfluxDB rejects is InfluxQueryError (a bug).
import { Unpackr } from 'msgpackr';
import { influxStatementResults, parseInfluxStatementResults, pingInflux, type InfluxSeries } from '../../../infra/influx-http.js';

const MSGPACK = 'application/x-msgpack';
// Times come as int64 (epoch=ms): numbers, exact below 2^53 ms (year 287,396).
const unpacker = new Unpackr({ int64AsType: 'number', mapsAsObjects: true });

export type { InfluxSeries };

export class InfluxUnavailableError extends Error {
  override readonly name = 'InfluxUnavailableError';
}

export class InfluxQueryError extends Error {
  override readonly name = 'InfluxQueryError';
}

export interface InfluxClient {
  readonly database: string;
  query(influxql: string): Promise<InfluxSeries[]>;
  /**
   * Several statements in one request, their series in statement order. InfluxDB runs them one
   * after the other, which on a busy machine answers sooner than as many requests in parallel
   * (docs/benchmarks.md); a statement's error fails the whole call.
   */
  queryEach(statements: readonly string[]): Promise<InfluxSeries[][]>;
  ping(): Promise<boolean>;
}

export interface InfluxClientOptions {
  readonly url: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly username?: string;
  readonly password?: string;
  /**
   * Let InfluxDB gzip its answers (default false). Node's fetch asks for gzip on its own, and 1.6
   * then compresses every result in Go and we inflate it again: on a LAN that costs both sides
   * CPU and the history queries about a third of their latency (docs/benchmarks.md). Worth it
   * only where the link to InfluxDB is slow.
   */
  readonly compressResponses?: boolean;
  /** Called with each query's duration and outcome (metrics). */
  readonly observe?: (seconds: number, outcome: 'ok' | 'error' | 'unavailable') => void;
}

export function createInfluxClient(options: InfluxClientOptions): InfluxClient {
  const headers: Record<string, string> = {};
  if (options.username !== undefined) {
    headers['authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }
  const observe = options.observe ?? (() => undefined);
  // InfluxDB 1.6 encodes MessagePack about twice as fast as JSON for large results (26,000 rows:
  // ~200 vs ~450 ms on the reference machine); servers that do not offer it answer JSON.
  const requestHeaders = {
    ...headers,
    accept: `${MSGPACK}, application/json;q=0.9`,
    ...(options.compressResponses === true ? {} : { 'accept-encoding': 'identity' }),
  };
  const run = async (influxql: string): Promise<InfluxSeries[][]> => {
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    const form = new URLSearchParams({ q: influxql, epoch: 'ms', db: options.database });
    let status: number;
    let body: Buffer;
    let msgpack: boolean;
    try {
      const response = await fetch(`${options.url}/query`, { method: 'POST', body: form, headers: requestHeaders, signal: AbortSignal.timeout(options.timeoutMs) });
      status = response.status;
      msgpack = response.headers.get('content-type')?.startsWith(MSGPACK) === true;
      body = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      observe(elapsed(), 'unavailable');
      throw new InfluxUnavailableError(`InfluxDB at ${options.url} did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    const preview = (): string => (msgpack ? `(MessagePack, ${body.length} bytes)` : body.subarray(0, 200).toString('utf8'));
    if (status >= 500 || status === 401 || status === 403) {
      observe(elapsed(), 'unavailable');
      throw new InfluxUnavailableError(`InfluxDB answered ${status}: ${preview()}`);
    }
    try {
      const results = msgpack ? influxStatementResults(unpacker.unpack(body), `${status}`, preview) : parseInfluxStatementResults(body.toString('utf8'), `${status}`);
      observe(elapsed(), 'ok');
      return results;
    } catch (err) {
      observe(elapsed(), 'error');
      throw new InfluxQueryError(`${err instanceof Error ? err.message : String(err)} — query: ${influxql.slice(0, 300)}`);
    }
  };
  return {
    database: options.database,
    query: async (influxql) => (await run(influxql)).flat(),
    async queryEach(statements) {
      if (statements.length === 0) return [];
      const results = await run(statements.join(';\n'));
      if (results.length !== statements.length) throw new InfluxQueryError(`InfluxDB answered ${results.length} results to ${statements.length} statements — query: ${statements.join('; ').slice(0, 300)}`);
      return results;
    },
    ping: () => pingInflux(options.url, Math.min(options.timeoutMs, 2_000)),
  };
}
