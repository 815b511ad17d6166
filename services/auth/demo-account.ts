// The demo account the start command provisions: a user, a household they own (Europe/Berlin,
// a time-of-use tariff) and n simulated agents. Idempotent: run it at every start. Agent secrets
// are stored only as hashes, so the caller passes the secrets it kept from the last run
// (`knownSecrets`): an agent whose stored hash still matches keeps its secret, untouched (a new
// hash would make the broker cut off its connections); any other gets a new one, so the caller
// always receives usable secrets. It writes directly, so the API's quotas (use-cases/quotas.ts) do
// not bind it: the operator chooses these numbers (npm start's fleet, `cli.ts demo --agents N`).
//
// Only simulated agents are ever given a new secret: those this module created (ids `sim-…`; the
// auth API's are `a-…`, use-cases/agents.ts). An agent a person registered in the demo household
// keeps its secret whatever happens to the simulated ones beside it. Agents made before the prefix
// (plain `a-…` demo agents of older data folders) are still used when a known secret proves them
// ours, and are never changed.
import pg from 'pg';
import type { Tariff } from '../../lib/tariff/tariff.js';
import { ARGON2_FLOOR } from './config.js';
import type { Queryable } from './data/db.js';
import { findUserByEmail, insertUser, setPassword } from './data/users-repository.js';
import { normaliseEmail } from './domain/email-address.js';
import { createPasswordHasher, type Argon2Params } from './domain/passwords.js';
import { newSecret, newTopicId, sameHash, sha256 } from './domain/secrets.js';
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
  /**
   * Agent id → the secret the caller holds from the last run (e.g. npm start's fleet file). An
   * agent whose stored hash matches keeps it, nothing is written; without one, every simulated
   * agent gets a new secret.
   */
  readonly knownSecrets?: ReadonlyMap<string, string>;
}

export interface DemoAgent {
  readonly householdId: string;
  readonly agentId: string;
  readonly secret: string;
}

const DEMO_LOCK = 727_009; // advisory lock: two starts at once provision one demo account

/** Ids of the agents this module creates start so (newTopicId); the auth API's are `a-…`. */
export const SIMULATED_AGENT_PREFIX = 'sim-';
const newSimulatedAgentId = (): string => newTopicId(SIMULATED_AGENT_PREFIX.slice(0, -1));

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
    const agents = await ensureAgents(db, householdId, options.agents, options.knownSecrets ?? new Map());
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

async function ensureAgents(db: Queryable, householdId: string, count: number, known: ReadonlyMap<string, string>): Promise<DemoAgent[]> {
  // Ours: simulated agents, and older demo agents the caller's secret proves (their hash matches).
  const candidates = await db.query<{ id: string; secret_hash: Buffer }>(
    `SELECT id, secret_hash FROM agents
      WHERE household_id = $1 AND revoked_at IS NULL AND (left(id, $2) = $3 OR id = ANY($4::text[]))
      ORDER BY created_at, id`,
    [householdId, SIMULATED_AGENT_PREFIX.length, SIMULATED_AGENT_PREFIX, [...known.keys()]],
  );
  const result: DemoAgent[] = [];
  for (const { id, secret_hash: storedHash } of candidates) {
    if (result.length >= count) break;
    const secret = known.get(id);
    if (secret !== undefined && sameHash(sha256(secret), storedHash)) {
      result.push({ householdId, agentId: id, secret }); // unchanged: its connections stay up
    } else if (id.startsWith(SIMULATED_AGENT_PREFIX)) {
      const fresh = newSecret();
      await db.query('UPDATE agents SET secret_hash = $2, rotated_at = now(), credentials_changed_at = clock_timestamp() WHERE id = $1', [id, sha256(fresh)]);
      result.push({ householdId, agentId: id, secret: fresh });
    }
    // Otherwise someone registered it (an `a-…` agent the caller's secret does not prove ours): left alone.
  }
  while (result.length < count) {
    const secret = newSecret();
    const agentId = newSimulatedAgentId();
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
