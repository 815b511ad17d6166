// What `npm start` provisions in the auth database before any agent connects: the demo account
// (a person can log in at once) whose household has several agents, one simulated neighbour
// household per further fleet agent, an operator (admin) account for the operator page, the
// read and alerts services' OAuth2 clients, and the PostgreSQL logins of the broker, the read and
// the alerts service (services/auth/service-roles.ts). Idempotent: existing users and households
// are reused.
//
// Agent secrets are stored only as hashes, so the fleet's file (agentsFile, mode 0600) is where
// they live between starts: an agent whose secret in the previous file still matches its stored
// hash keeps it and nothing is written for it. A new hash would make the broker's credential watch
// cut off the agent's connections shortly after start (broker/credential-watch.ts looks back over
// the minute before the broker started). A fresh secret is issued only when the file is missing
// or unreadable, or its secret for that agent no longer matches (rotated through the auth API, or
// the file edited). Agents a person registered through the auth API are never touched
// (services/auth/demo-account.ts).
//
// The read and alerts services' client secrets, the operator password and the service roles'
// passwords are new at every start: they live only in the environment of the processes this start
// spawns, nothing outside the platform holds them, and the platform that used the old ones has
// stopped (one npm start per data folder, scripts/platform-lock.ts), so rotating them cuts off
// nobody and keeps each one's life to one run.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { z } from 'zod';
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
  /**
   * Where the fleet reads its credentials from (mode 0600: it holds secrets). The previous run's
   * copy, if any, supplies the secrets that are kept.
   */
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
  /** How many agents kept the secret the previous agentsFile held; the others have new ones. */
  readonly agentSecretsKept: number;
  /** Why the previous agentsFile gave no secrets at all (missing, unreadable); undefined if it did. */
  readonly previousFileProblem: string | undefined;
}

const previousAgentSchema = z.object({ householdId: z.string(), agentId: z.string(), secret: z.string().min(1) });

/**
 * Agent id → secret from the previous run's file. Entries that do not parse are skipped (their
 * agents get new secrets); a file that is missing or not a JSON array gives none, and says why.
 */
export function readPreviousSecrets(agentsFile: string): { secrets: Map<string, string>; problem: string | undefined } {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(agentsFile, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { secrets: new Map(), problem: code === 'ENOENT' ? 'missing' : `unreadable (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!Array.isArray(entries)) return { secrets: new Map(), problem: 'unreadable (not a JSON array)' };
  const secrets = new Map<string, string>();
  for (const entry of entries) {
    const parsed = previousAgentSchema.safeParse(entry);
    if (parsed.success) secrets.set(parsed.data.agentId, parsed.data.secret);
  }
  return { secrets, problem: undefined };
}

/** Replaces the file whole (a start killed while writing leaves the previous one), mode 0600. */
function writeAgentsFile(agentsFile: string, agents: readonly DemoAgent[]): void {
  const partial = `${agentsFile}.partial`;
  writeFileSync(partial, JSON.stringify(agents), { mode: 0o600 });
  chmodSync(partial, 0o600); // writeFileSync's mode applies only when it creates the file
  renameSync(partial, agentsFile);
}

export async function provisionHouseholds(options: ProvisionOptions): Promise<Provisioned> {
  const previous = readPreviousSecrets(options.agentsFile);
  const knownSecrets = previous.secrets;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const demo = await ensureDemoAccount(pool, { agents: options.demoAgents, knownSecrets });
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
          knownSecrets,
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
    writeAgentsFile(options.agentsFile, agents);
    const agentSecretsKept = agents.filter((a) => knownSecrets.get(a.agentId) === a.secret).length;
    const databaseUrls = await ensureServiceRoles(options.databaseUrl);
    const first = demo[0];
    if (first === undefined) throw new Error('demo account has no agents');
    return {
      demoHouseholdId: first.householdId,
      agents,
      readClientSecret,
      alertsClientSecret,
      operatorPassword,
      databaseUrls,
      agentSecretsKept,
      previousFileProblem: previous.problem,
    };
  } finally {
    await pool.end();
  }
}
