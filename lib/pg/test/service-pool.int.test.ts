// The services' PostgreSQL pool (service-pool.ts) against the real server of test/global-setup.ts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPostgresDatabase } from '../../../infra/postgres.js';
import { silentLogger } from '../../log.js';
import { openServicePool } from '../service-pool.js';

let url: string;
let admin: pg.Client;
beforeAll(async () => {
  url = await createPostgresDatabase({ url: inject('postgresUrl') }, `service_pool_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => admin?.end());

describe('service pool', () => {
  it('when a service queries, then pg_stat_activity shows its connection under its application name', async () => {
    const pool = openServicePool({ databaseUrl: url, max: 1, applicationName: 'energymonitor-pool-test', log: silentLogger() });
    try {
      await pool.query('SELECT 1');
      const { rows } = await admin.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      expect(rows.map((r) => r.name)).toContain('energymonitor-pool-test');
    } finally {
      await pool.end();
    }
  });

  it('when a query outlasts queryTimeoutMs, then it fails instead of holding the connection', async () => {
    const pool = openServicePool({ databaseUrl: url, max: 1, applicationName: 'energymonitor-pool-test', log: silentLogger(), queryTimeoutMs: 100 });
    try {
      await expect(pool.query('SELECT pg_sleep(2)')).rejects.toThrow(/timeout/i);
    } finally {
      await pool.end();
    }
  });
});
