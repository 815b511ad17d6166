// The auth service's pool is the services' shared one (lib/pg/service-pool.ts): an operator sees
// its connections by name in pg_stat_activity, as the broker's, read's and alerts'.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { createAuthService, type AuthService } from '../app.js';
import { createTestDatabase, testConfig } from './auth-test-service.js';

let url: string;
let service: AuthService;
beforeAll(async () => {
  url = await createTestDatabase('auth_pool');
  service = await createAuthService(testConfig(url), { log: silentLogger() });
  await service.start();
});
afterAll(async () => service?.stop());

describe('auth database pool', () => {
  it('when the auth service has queried, then its connections are named energymonitor-auth in pg_stat_activity', async () => {
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ name: string }>('SELECT application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      expect(rows.map((r) => r.name)).toContain('energymonitor-auth');
    } finally {
      await admin.end();
    }
  });
});
