// The PostgreSQL logins of the services that read the auth schema (broker, read, alerts), each with
// only what it reads: none may see signing keys, password hashes, refresh tokens, login throttle
// rows, invitations, service clients or the audit log, so a compromised broker cannot mint tokens
// or dump accounts. Run as the schema's owner (npm start's provisioning, `cli.ts service-roles`)
// after the auth migrations. Idempotent: each run sets fresh passwords and exactly these grants.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { scramSha256Verifier } from '../../lib/pg/scram-verifier.js';

export const SERVICE_NAMES = ['broker', 'read', 'alerts'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
export type ServiceDatabaseUrls = Readonly<Record<ServiceName, string>>;

interface ColumnGrant {
  readonly table: string;
  readonly columns: readonly string[];
}

// lib/auth/pg-directory.ts householdsOf and roleIn: a token subject's households, and its role in one.
const MEMBERSHIPS: readonly ColumnGrant[] = [
  { table: 'memberships', columns: ['household_id', 'user_id', 'role'] },
  { table: 'users', columns: ['id', 'subject'] },
];

/** SELECT per service on the auth schema (docs/decisions/006-auth.md §2); nothing else of it. */
export const SERVICE_READS: Readonly<Record<ServiceName, readonly ColumnGrant[]>> = {
  // pg-directory.ts verifyAgent and credentialChangesSince (the broker checks agent secrets).
  broker: [{ table: 'agents', columns: ['id', 'household_id', 'secret_hash', 'rotated_at', 'revoked_at', 'credentials_changed_at'] }, ...MEMBERSHIPS],
  // services/read/catalog/pg-household-catalog.ts; the read service writes nothing to PostgreSQL.
  read: [
    { table: 'households', columns: ['id', 'name', 'time_zone', 'tariff'] },
    { table: 'agents', columns: ['id', 'household_id', 'name', 'revoked_at'] },
    ...MEMBERSHIPS,
  ],
  // householdExists (services/alerts/app.ts) and the rules' time zones (data/rules-repository.ts).
  alerts: [{ table: 'households', columns: ['id', 'time_zone'] }, ...MEMBERSHIPS],
};

/** The alerts service's own schema (services/alerts/data/migrate.ts): its role owns it and migrates it. */
export const ALERTS_SCHEMA = 'alerts';

/** Named after the database, so the databases of one server (tests make many) keep their roles apart. */
export function serviceRoleName(database: string, service: ServiceName): string {
  const name = `${database}_${service}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`cannot name a role after database ${JSON.stringify(database)}: use a-z, 0-9 and _, at most ${62 - service.length} characters`);
  return name;
}

/** Creates or updates the three roles with fresh passwords; returns each service's database URL. */
export async function ensureServiceRoles(ownerUrl: string): Promise<ServiceDatabaseUrls> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two GRANTs on one object at once fail ('tuple concurrently updated'): one run at a time.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('energymonitor service roles'))");
    const database = (await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? '';
    // PostgreSQL 15's default, made explicit for older servers: nobody but owners creates objects in
    // `public`, where one could shadow a function the owner calls.
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    const urls: Partial<Record<ServiceName, string>> = {};
    for (const service of SERVICE_NAMES) {
      const role = serviceRoleName(database, service);
      const password = randomBytes(24).toString('base64url');
      await ensureLoginRole(client, role, password);
      await grantExactly(client, database, role, SERVICE_READS[service]);
      urls[service] = urlFor(ownerUrl, role, password);
    }
    await giveAlertsItsSchema(client, serviceRoleName(database, 'alerts'));
    await client.query('COMMIT');
    return urls as ServiceDatabaseUrls;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

async function ensureLoginRole(client: pg.Client, role: string, password: string): Promise<void> {
  const id = client.escapeIdentifier(role);
  await client.query(`DO $$ BEGIN CREATE ROLE ${id}; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  // Attributes reset too, should anyone have widened an existing role of this name.
  const verifier = client.escapeLiteral(scramSha256Verifier(password));
  await client.query(`ALTER ROLE ${id} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${verifier}`);
}

/**
 * Revokes whatever the role holds on the auth schema's tables (column grants included) and CREATE on
 * the database (schemas of its own), then grants CONNECT and `reads`.
 */
async function grantExactly(client: pg.Client, database: string, role: string, reads: readonly ColumnGrant[]): Promise<void> {
  const [id, db] = [client.escapeIdentifier(role), client.escapeIdentifier(database)];
  await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${id}`);
  await client.query(`REVOKE CREATE ON DATABASE ${db} FROM ${id}`);
  await client.query(`GRANT CONNECT ON DATABASE ${db} TO ${id}`);
  for (const { table, columns } of reads) {
    const list = columns.map((c) => client.escapeIdentifier(c)).join(', ');
    await client.query(`GRANT SELECT (${list}) ON TABLE public.${client.escapeIdentifier(table)} TO ${id}`);
  }
}

/**
 * The alerts role owns its schema and every table in it (those a superuser created before these
 * roles existed included), so its migrations at start can create and alter them. It gets nothing on
 * the database itself: its migrations create no schema (services/alerts/data/migrate.ts), and
 * grantExactly takes back the CREATE an earlier version gave it. It never reads or changes anyone
 * else's objects.
 */
async function giveAlertsItsSchema(client: pg.Client, role: string): Promise<void> {
  const [id, schema] = [client.escapeIdentifier(role), client.escapeIdentifier(ALERTS_SCHEMA)];
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${id}`);
  await client.query(`ALTER SCHEMA ${schema} OWNER TO ${id}`);
  // ALTER TABLE … OWNER takes the table's indexes and serial sequences along.
  await client.query(`DO $$ DECLARE t regclass; BEGIN
    FOR t IN SELECT c.oid::regclass FROM pg_class c
              WHERE c.relnamespace = ${client.escapeLiteral(ALERTS_SCHEMA)}::regnamespace AND c.relkind IN ('r', 'p')
                AND c.relowner <> ${client.escapeLiteral(role)}::regrole LOOP
      EXECUTE format('ALTER TABLE %s OWNER TO %I', t, ${client.escapeLiteral(role)});
    END LOOP; END $$`);
}

function urlFor(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}
