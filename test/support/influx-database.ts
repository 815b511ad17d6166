// One InfluxDB database per test, on the server the global setup started: tests never see each
// other's points, and nothing needs cleaning between files running in parallel.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { postInfluxQuery, type InfluxSeries } from '../../infra/influx-http.js';
import { createInfluxDatabase, dropInfluxDatabase } from '../../infra/influxdb.js';

export type { InfluxSeries };

export type TestInfluxDatabase = {
  url: string;
  database: string;
  /** InfluxQL against this database; times in epoch milliseconds. */
  query(influxql: string): Promise<InfluxSeries[]>;
  /** Line protocol with millisecond timestamps; throws unless InfluxDB answers 204. */
  write(lines: string | readonly string[]): Promise<void>;
  drop(): Promise<void>;
};

/** Runs InfluxQL with epoch=ms; returns every series ({name, tags, columns, values}); throws on error. */
export function queryInflux(url: string, database: string, influxql: string): Promise<InfluxSeries[]> {
  return postInfluxQuery(url, influxql, database);
}

/** POSTs line protocol to /write with precision=ms. */
export async function writeInflux(url: string, database: string, lines: string | readonly string[]): Promise<void> {
  const body = typeof lines === 'string' ? lines : lines.join('\n');
  const params = new URLSearchParams({ db: database, precision: 'ms' });
  const response = await fetch(`${url}/write?${params.toString()}`, { method: 'POST', body });
  if (response.status !== 204) throw new Error(`InfluxDB /write ${response.status}: ${await response.text()}`);
}

/** Creates a uniquely named database (`<prefix>_<pid>_<random>`) on the shared test InfluxDB. */
export async function createTestInfluxDatabase(prefix: string, url: string = inject('influxUrl')): Promise<TestInfluxDatabase> {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40) || 'test';
  const database = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createInfluxDatabase(url, database);
  return {
    url,
    database,
    query: (influxql) => queryInflux(url, database, influxql),
    write: (lines) => writeInflux(url, database, lines),
    drop: () => dropInfluxDatabase(url, database),
  };
}
