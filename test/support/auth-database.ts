// A private, migrated auth database for one test file, with plain-SQL fixtures (households, users,
// memberships, agents). Real PostgreSQL from test/global-setup.ts, real migrations: no mocks.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPostgresDatabase } from '../../infra/postgres.js';
import { sha256 } from '../../lib/auth/pg-directory.js';
import { migrateAuthDatabase } from '../../services/auth/migrate.js';

export interface AuthDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  addHousehold(id?: string): Promise<string>;
  /** A user with token subject `subject`; returns the user id. */
  addUser(subject: string): Promise<string>;
  addMembership(householdId: string, userId: string, role?: 'owner' | 'member'): Promise<void>;
  removeMembership(householdId: string, userId: string): Promise<void>;
  /** Registers an agent and returns its new secret (the hash alone is stored). */
  addAgent(agentId: string, householdId: string): Promise<string>;
  /** Replaces the agent's secret and returns the new one. */
  rotateAgent(agentId: string): Promise<string>;
  revokeAgent(agentId: string): Promise<void>;
  close(): Promise<void>;
}

export const newAgentSecret = (): string => randomBytes(32).toString('base64url');

export async function createAuthDatabase(prefix: string): Promise<AuthDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = await createPostgresDatabase({ url: inject('postgresUrl') }, name);
  await migrateAuthDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const exec = async (sql: string, params: unknown[]): Promise<void> => {
    await pool.query(sql, params);
  };
  return {
    url,
    pool,
    async addHousehold(id = `h-${randomUUID().slice(0, 8)}`) {
      await exec('INSERT INTO households (id, name) VALUES ($1, $2)', [id, id]);
      return id;
    },
    async addUser(subject) {
      const { rows } = await pool.query<{ id: string }>(
        'INSERT INTO users (subject, email, email_normalized) VALUES ($1, $2, $2) RETURNING id',
        [subject, `${subject}@example.test`],
      );
      return rows[0]?.id ?? '';
    },
    addMembership: (householdId, userId, role = 'member') =>
      exec('INSERT INTO memberships (household_id, user_id, role) VALUES ($1, $2, $3)', [householdId, userId, role]),
    removeMembership: (householdId, userId) => exec('DELETE FROM memberships WHERE household_id = $1 AND user_id = $2', [householdId, userId]),
    async addAgent(agentId, householdId) {
      const secret = newAgentSecret();
      await exec('INSERT INTO agents (id, household_id, secret_hash) VALUES ($1, $2, $3)', [agentId, householdId, sha256(secret)]);
      return secret;
    },
    async rotateAgent(agentId) {
      const secret = newAgentSecret();
      await exec('UPDATE agents SET secret_hash = $2, rotated_at = now(), credentials_changed_at = clock_timestamp() WHERE id = $1', [
        agentId,
        sha256(secret),
      ]);
      return secret;
    },
    revokeAgent: (agentId) => exec('UPDATE agents SET revoked_at = now(), credentials_changed_at = clock_timestamp() WHERE id = $1', [agentId]),
    close: () => pool.end(),
  };
}
