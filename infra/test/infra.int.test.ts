// The servers the global setup starts, and the idempotent start/stop the CLI relies on.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestInfluxDatabase, queryInflux } from '../../test/support/influx-database.js';
import { pingInflux } from '../influx-http.js';
import { findRunningInfluxdb, startInfluxdb, stopInfluxdb } from '../influxdb.js';
import { createPostgresDatabase, findRunningPostgres, startPostgres, stopPostgres } from '../postgres.js';
import { runPsql } from '../psql.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'energymonitor-infra-test-'));
  await chmod(scratch, 0o755); // the postgres OS user must be able to enter it
});

afterAll(async () => {
  await Promise.all([stopInfluxdb(join(scratch, 'influxdb')), stopPostgres(join(scratch, 'postgres'))]);
  await rm(scratch, { recursive: true, force: true });
});

describe('shared InfluxDB (global setup)', () => {
  it('when pinged, then answers 204', async () => {
    const response = await fetch(`${inject('influxUrl')}/ping`);
    expect(response.status).toBe(204);
  });

  it('when a line is written to a fresh database, then a query returns it', async () => {
    const db = await createTestInfluxDatabase('infra');
    try {
      const params = new URLSearchParams({ db: db.database, precision: 'ms' });
      const write = await fetch(`${db.url}/write?${params.toString()}`, {
        method: 'POST',
        body: 'meter_power,device=d1 watts=42.5 1700000000000',
      });
      expect(write.status).toBe(204);
      expect(await db.query('SELECT watts FROM meter_power GROUP BY device')).toEqual([
        { name: 'meter_power', tags: { device: 'd1' }, columns: ['time', 'watts'], values: [[1700000000000, 42.5]] },
      ]);
    } finally {
      await db.drop();
    }
  });

  it('when a query names a missing database, then queryInflux throws the server message', async () => {
    await expect(queryInflux(inject('influxUrl'), 'no_such_db', 'SELECT * FROM x')).rejects.toThrow(/database not found/);
  });
});

describe('shared PostgreSQL (global setup)', () => {
  it('when psql runs a query, then it answers from database energymonitor', async () => {
    expect(await runPsql(inject('postgresUrl'), 'SELECT current_database(), 6 * 7')).toBe('energymonitor|42');
  });

  it('when a per-test database is created twice, then it exists once and accepts queries', async () => {
    const name = `infra_${process.pid}_${Date.now()}`;
    const url = await createPostgresDatabase({ url: inject('postgresUrl') }, name);
    expect(await createPostgresDatabase({ url: inject('postgresAdminUrl') }, name)).toBe(url);
    expect(await runPsql(url, 'SELECT current_database()')).toBe(name);
  });
});

describe('startInfluxdb', () => {
  it('when a second folder is started, then it gets another port; started again, then it is reused', async () => {
    const dataDir = join(scratch, 'influxdb');
    const first = await startInfluxdb({ dataDir });
    expect(first.url).not.toBe(inject('influxUrl'));
    expect(await pingInflux(first.url)).toBe(true);

    const again = await startInfluxdb({ dataDir });
    expect({ pid: again.pid, url: again.url }).toEqual({ pid: first.pid, url: first.url });

    await again.stop();
    expect(await pingInflux(first.url)).toBe(false);
    expect(await findRunningInfluxdb(dataDir)).toBeUndefined();
    await expect(stopInfluxdb(dataDir)).resolves.toBeUndefined(); // stopping a stopped one is a no-op
  });
});

describe('startPostgres', () => {
  it('when started again, then reused; when restarted after stop, then its databases survive', async () => {
    const dataDir = join(scratch, 'postgres');
    const first = await startPostgres({ dataDir, fsync: false });
    expect(first.port).not.toBe(Number(new URL(inject('postgresUrl')).port));
    await createPostgresDatabase(first, 'survivor');

    const again = await startPostgres({ dataDir, fsync: false });
    expect(again.url).toBe(first.url);

    await first.stop();
    expect(await findRunningPostgres(dataDir)).toBeUndefined();
    const restarted = await startPostgres({ dataDir, fsync: false });
    expect(restarted.password).toBe(first.password);
    expect(await runPsql(restarted.url, "SELECT count(*) FROM pg_database WHERE datname = 'survivor'")).toBe('1');
    await restarted.stop();
  });
});
