// The InfluxDB 1.x `/query` endpoint as the read service uses it: InfluxQL in, series out,
// millisecond epochs. A server that cannot be reached, times out or answers 5xx is
// InfluxUnavailableError (the API answers 503 and recovers when InfluxDB is back, nothing to reset:
// fetch opens a new connection per attempt); a statement InfluxDB rejects is InfluxQueryError (a bug).
import { parseInfluxQueryResponse, pingInflux, type InfluxSeries } from '../../../infra/influx-http.js';

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
  ping(): Promise<boolean>;
}

export interface InfluxClientOptions {
  readonly url: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly username?: string;
  readonly password?: string;
  /** Called with each query's duration and outcome (metrics). */
  readonly observe?: (seconds: number, outcome: 'ok' | 'error' | 'unavailable') => void;
}

export function createInfluxClient(options: InfluxClientOptions): InfluxClient {
  const headers: Record<string, string> = {};
  if (options.username !== undefined) {
    headers['authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  }
  const observe = options.observe ?? (() => undefined);
  return {
    database: options.database,
    async query(influxql) {
      const started = performance.now();
      const elapsed = (): number => (performance.now() - started) / 1000;
      const form = new URLSearchParams({ q: influxql, epoch: 'ms', db: options.database });
      let status: number;
      let text: string;
      try {
        const response = await fetch(`${options.url}/query`, { method: 'POST', body: form, headers, signal: AbortSignal.timeout(options.timeoutMs) });
        status = response.status;
        text = await response.text();
      } catch (err) {
        observe(elapsed(), 'unavailable');
        throw new InfluxUnavailableError(`InfluxDB at ${options.url} did not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (status >= 500 || status === 401 || status === 403) {
        observe(elapsed(), 'unavailable');
        throw new InfluxUnavailableError(`InfluxDB answered ${status}: ${text.slice(0, 200)}`);
      }
      try {
        const series = parseInfluxQueryResponse(text, `${status}`);
        observe(elapsed(), 'ok');
        return series;
      } catch (err) {
        observe(elapsed(), 'error');
        throw new InfluxQueryError(`${err instanceof Error ? err.message : String(err)} — query: ${influxql.slice(0, 300)}`);
      }
    },
    ping: () => pingInflux(options.url, Math.min(options.timeoutMs, 2_000)),
  };
}
