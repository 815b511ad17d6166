// What `npm start` provisions in the auth database before any agent connects: the demo account
// (a person can log in at once) whose household has several agents, one simulated neighbour
// household per further fleet agent, an operator (admin) account for the operator page, the
// read and alerts services' OAuth2 clients, and the PostgreSQL logins of the broker, the read and
// the alerts service (services/auth/service-roles.ts). Idempotent: existing users and households
// are reused; agent and client secrets are stored only as hashes and role passwords nowhere, so
// every start issues fresh ones and hands them to the processes that need them.
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { ARGON2_FLOOR } from '../services/auth/config.js';
import { ensureDemoAccount, type DemoAgent } from '../services/auth/demo-account.js';
import { createPasswordHasher } from '../services/auth/domain/passwords.js';
import { createAdmin, createServiceClient } from '../services/auth/operator-tasks.js';
import { ensureServiceRoles, type ServiceDatabaseUrls } from '../services/auth/service-roles.js';

export const READ_SERVICE_CLIENT_ID = 'read-service';
/** The admin who sees the operator page. Its password is new at every start and printed once. */
export const OPERATOR_EMAIL = 'operator@energymonitor.local';
/** Lets the read service subscribe to every household's readings on the broker (docs/decisions/006-auth.md). */
export const READ_SERVICE_SCOPES = ['readings:subscribe-all'] as const;
/** The alerts service subscribes to the households that have enabled rules (services/alerts/README.md). */
export const ALERTS_SERVICE_CLIENT_ID = 'alerts-service';
export const ALERTS_SERVICE_SCOPES = ['readings:subscribe-all'] as const;

export interface ProvisionOptions {
  /** The auth database as its owner (a superuser under npm start): it creates the service roles. */
  readonly databaseUrl: string;
  /** Households in the simulated fleet, the demo household included. */
  readonly households: number;
  /** Agents in the demo household (a meter and socket agents in a real home). */
  readonly demoAgents: number;
  /** Where the fleet reads its credentials from (mode 0600: it holds secrets). */
  readonly agentsFile: string;
}

export interface Provisioned {
  readonly demoHouseholdId: string;
  readonly agents: readonly DemoAgent[];
  readonly readClientSecret: string;
  readonly alertsClientSecret: string;
  readonly operatorPassword: string;
  /** Each service's own login to the auth database, with only what it reads (and, for alerts, its schema). */
  readonly databaseUrls: ServiceDatabaseUrls;
}

export async function provisionHouseholds(options: ProvisionOptions): Promise<Provisioned> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const demo = await ensureDemoAccount(pool, { agents: options.demoAgents });
    const neighbours: DemoAgent[] = [];
    for (let i = 2; i <= options.households; i++) {
      const n = String(i).padStart(4, '0');
      // Nobody logs in as a neighbour: a random password nobody knows keeps the account closed.
      neighbours.push(
        ...(await ensureDemoAccount(pool, {
          email: `household-${n}@fleet.energymonitor.local`,
          password: randomBytes(24).toString('base64url'),
          householdName: `Simulated household ${n}`,
          agents: 1,
        })),
      );
    }
    const db = { query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => (await pool.query<R>(sql, [...params])).rows };
    const readClientSecret = await createServiceClient(db, READ_SERVICE_CLIENT_ID, READ_SERVICE_SCOPES);
    const alertsClientSecret = await createServiceClient(db, ALERTS_SERVICE_CLIENT_ID, ALERTS_SERVICE_SCOPES);
    // Not a well-known password like the demo homeowner's: an admin sees every household.
    const operatorPassword = randomBytes(12).toString('base64url');
    await createAdmin(db, createPasswordHasher(ARGON2_FLOOR), OPERATOR_EMAIL, operatorPassword);
    const agents = [...demo, ...neighbours];
    writeFileSync(options.agentsFile, JSON.stringify(agents), { mode: 0o600 });
    chmodSync(options.agentsFile, 0o600); // writeFileSync's mode applies only when it creates the file
    const databaseUrls = await ensureServiceRoles(options.databaseUrl);
    const first = demo[0];
    if (first === undefined) throw new Error('demo account has no agents');
    return { demoHouseholdId: first.householdId, agents, readClientSecret, alertsClientSecret, operatorPassword, databaseUrls };
  } finally {
    await pool.end();
  }
}
