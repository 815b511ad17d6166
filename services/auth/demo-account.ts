// The demo account the start command provisions: a user, a household they own (Europe/Berlin,
// a time-of-use tariff) and n agents. Idempotent: run it at every start. Agent secrets are stored
// only as hashes, so existing agents get new secrets and the caller always receives usable ones.
import pg from 'pg';
import type { Tariff } from '../../lib/tariff/tariff.js';
import { ARGON2_FLOOR } from './config.js';
import type { Queryable } from './data/db.js';
import { findUserByEmail, insertUser, setPassword } from './data/users-repository.js';
import { normaliseEmail } from './domain/email-address.js';
import { createPasswordHasher, type Argon2Params } from './domain/passwords.js';
import { newSecret, newTopicId, sha256 } from './domain/secrets.js';
import { migrateAuthDatabase } from './migrate.js';

export const DEMO_EMAIL = 'demo@energymonitor.local';
/** Documented in services/auth/README.md; the demo is for local use only. */
export const DEMO_PASSWORD = 'energymonitor-demo';
export const DEMO_HOUSEHOLD_NAME = 'Demo household';

export const DEMO_TARIFF: Tariff = {
  kind: 'time-of-use',
  currency: 'EUR',
  defaultPricePerKwh: 0.32,
  bands: [
    { from: '22:00', to: '06:00', pricePerKwh: 0.22 },
    { days: [1, 2, 3, 4, 5], from: '17:00', to: '20:00', pricePerKwh: 0.42 },
  ],
};

export interface DemoAccountOptions {
  readonly email?: string;
  readonly password?: string;
  readonly householdName?: string;
  readonly agents: number;
  readonly argon2?: Argon2Params;
}

export interface DemoAgent {
  readonly householdId: string;
  readonly agentId: string;
  readonly secret: string;
}

const DEMO_LOCK = 727_009; // advisory lock: two starts at once provision one demo account

/** With a URL the schema is migrated first; with a Pool the caller has migrated. */
export async function ensureDemoAccount(database: pg.Pool | string, options: DemoAccountOptions): Promise<DemoAgent[]> {
  if (typeof database === 'string') await migrateAuthDatabase(database);
  const owned = typeof database === 'string' ? new pg.Client({ connectionString: database }) : undefined;
  await owned?.connect();
  const pooled = typeof database === 'string' ? undefined : await database.connect();
  const client: pg.ClientBase = owned ?? (pooled as pg.PoolClient);
  const db: Queryable = { query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => (await client.query<R>(sql, [...params])).rows };
  try {
    await db.query('BEGIN');
    await db.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const userId = await ensureUser(db, options);
    const householdId = await ensureHousehold(db, userId, options.householdName ?? DEMO_HOUSEHOLD_NAME);
    const agents = await ensureAgents(db, householdId, options.agents);
    await db.query('COMMIT');
    return agents;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await owned?.end();
    pooled?.release();
  }
}

async function ensureUser(db: Queryable, options: DemoAccountOptions): Promise<string> {
  const email = options.email ?? DEMO_EMAIL;
  const password = options.password ?? DEMO_PASSWORD;
  const hasher = createPasswordHasher(options.argon2 ?? ARGON2_FLOOR);
  const existing = await findUserByEmail(db, normaliseEmail(email));
  if (existing !== undefined) {
    // Someone changed the demo password: put the documented one back.
    if (existing.passwordHash === null || !(await hasher.verify(existing.passwordHash, password))) {
      await setPassword(db, existing.id, await hasher.hash(password));
    }
    return existing.id;
  }
  const user = await insertUser(db, { email, emailNormalized: normaliseEmail(email), displayName: 'Demo', passwordHash: await hasher.hash(password) });
  if (user === undefined) throw new Error('demo user appeared concurrently; run again');
  return user.id;
}

async function ensureHousehold(db: Queryable, userId: string, name: string): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `SELECT h.id FROM households h JOIN memberships m ON m.household_id = h.id
      WHERE m.user_id = $1 AND m.role = 'owner' AND h.name = $2 ORDER BY h.created_at LIMIT 1`,
    [userId, name],
  );
  if (rows[0] !== undefined) return rows[0].id;
  const created = await db.query<{ id: string }>("INSERT INTO households (name, time_zone, tariff) VALUES ($1, 'Europe/Berlin', $2) RETURNING id", [
    name,
    DEMO_TARIFF,
  ]);
  const id = (created[0] as { id: string }).id;
  await db.query("INSERT INTO memberships (household_id, user_id, role) VALUES ($1, $2, 'owner')", [id, userId]);
  return id;
}

async function ensureAgents(db: Queryable, householdId: string, count: number): Promise<DemoAgent[]> {
  const existing = await db.query<{ id: string }>('SELECT id FROM agents WHERE household_id = $1 AND revoked_at IS NULL ORDER BY created_at, id LIMIT $2', [
    householdId,
    count,
  ]);
  const result: DemoAgent[] = [];
  for (const { id } of existing) {
    const secret = newSecret();
    await db.query('UPDATE agents SET secret_hash = $2, rotated_at = now(), credentials_changed_at = clock_timestamp() WHERE id = $1', [id, sha256(secret)]);
    result.push({ householdId, agentId: id, secret });
  }
  while (result.length < count) {
    const secret = newSecret();
    const agentId = newTopicId('a');
    // clock_timestamp(), not now(): agents made in one transaction keep their order on the next run.
    await db.query("INSERT INTO agents (id, household_id, name, secret_hash, created_at, credentials_changed_at) VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())", [
      agentId,
      householdId,
      `demo agent ${result.length + 1}`,
      sha256(secret),
    ]);
    result.push({ householdId, agentId, secret });
  }
  return result;
}
