// PostgreSQL implementation of AgentDirectory, MembershipDirectory and HouseholdRoles over the auth schema
// (services/auth/migrations/0001_…; docs/decisions/006-auth.md §2–3). Read-only, parameterised.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { isValidId } from '../../proto/topics.js';
import type { AgentDirectory, AgentIdentity, HouseholdRole, HouseholdRoles, MembershipDirectory } from './directory.js';

export type PgDirectory = AgentDirectory & MembershipDirectory & HouseholdRoles;

interface AgentRow {
  household_id: string;
  secret_hash: Buffer;
  revoked: boolean;
  changed_us: string;
}

// Compared against when the agent does not exist, so an unknown id costs the same hash and compare
// as a known one and response time does not tell which agent ids exist.
const DUMMY_HASH = createHash('sha256').update('energymonitor: no such agent').digest();

export function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function sameHash(presented: Buffer, stored: Buffer): boolean {
  // timingSafeEqual throws on different lengths; a stored hash is always 32 bytes, but be strict.
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

export function createPgDirectory(pool: Pool): PgDirectory {
  return {
    async verifyAgent(agentId: string, secret: string): Promise<AgentIdentity | undefined> {
      const presented = sha256(secret);
      // An id outside the topic-id alphabet cannot exist (the column's domain forbids it).
      if (!isValidId(agentId)) {
        sameHash(presented, DUMMY_HASH);
        return undefined;
      }
      const { rows } = await pool.query<AgentRow>(
        `SELECT household_id, secret_hash, revoked_at IS NOT NULL AS revoked,
                (extract(epoch FROM credentials_changed_at) * 1000000)::bigint AS changed_us
           FROM agents WHERE id = $1`,
        [agentId],
      );
      const row = rows[0];
      const matches = sameHash(presented, row?.secret_hash ?? DUMMY_HASH);
      if (row === undefined || !matches || row.revoked) return undefined;
      // The same µs stamp credentialChangesSince reports, so the two compare exactly.
      return { agentId, householdId: row.household_id, credentialsChangedMs: Number(row.changed_us) / 1000 };
    },

    async credentialChangesSince(sinceMs: number) {
      // Microsecond cursor: timestamptz keeps µs, and a ms cursor would report the same change twice.
      const sinceUs = BigInt(Math.round(sinceMs * 1000));
      // Only rotations and revocations: a new agent's first stamp is not a change of credentials
      // anyone could hold, and counting it cut off agents that had just connected.
      const { rows } = await pool.query<{ id: string; changed_us: string }>(
        `SELECT id, (extract(epoch FROM credentials_changed_at) * 1000000)::bigint AS changed_us
           FROM agents WHERE credentials_changed_at > 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'
            AND (rotated_at IS NOT NULL OR revoked_at IS NOT NULL)`,
        [sinceUs.toString()],
      );
      const newestUs = rows.reduce((max, r) => (BigInt(r.changed_us) > max ? BigInt(r.changed_us) : max), sinceUs);
      return { changes: rows.map((r) => ({ agentId: r.id, changedMs: Number(r.changed_us) / 1000 })), newestMs: Number(newestUs) / 1000 };
    },

    async householdsOf(subject: string): Promise<readonly string[]> {
      const { rows } = await pool.query<{ household_id: string }>(
        'SELECT m.household_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.subject = $1 ORDER BY m.household_id',
        [subject],
      );
      return rows.map((r) => r.household_id);
    },

    async roleIn(subject: string, householdId: string): Promise<HouseholdRole | undefined> {
      const { rows } = await pool.query<{ role: HouseholdRole }>(
        'SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.subject = $1 AND m.household_id = $2',
        [subject, householdId],
      );
      return rows[0]?.role;
    },
  };
}
