// The alerts schema's migrations (data/migrate.ts) on a database nobody provisioned: the schema is
// created when missing, outside node-pg-migrate's lock, so replicas starting together must not trip
// over each other. Real PostgreSQL (test/global-setup.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPostgresDatabase } from '../../../infra/postgres.js';
import { migrateAlertsDatabase } from '../data/migrate.js';

describe('alerts migrations', () => {
  it('when three replicas migrate a database without schema alerts at once, then each succeeds and the migrations are applied once', async () => {
    const url = await createPostgresDatabase({ url: inject('postgresUrl') }, `alerts_migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const applied = await Promise.all([1, 2, 3].map(() => migrateAlertsDatabase(url)));
    expect(applied.flat()).toEqual(['0001_rules-alerts-webhooks-outbox']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM alerts.pgmigrations');
      expect(rows.map((r) => r.name)).toEqual(['0001_rules-alerts-webhooks-outbox']);
    } finally {
      await client.end();
    }
  });
});
