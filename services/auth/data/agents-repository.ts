// Agents (table agents of migration 0001; a contract with lib/auth/pg-directory.ts, decision 006 §2).
// Every rotate and revoke bumps credentials_changed_at with clock_timestamp(), which the broker
// polls to cut off connections whose credentials changed.
import type { Queryable } from './db.js';

export interface AgentRecord {
  readonly agentId: string;
  readonly householdId: string;
  readonly name: string;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly revokedAt: string | null;
  readonly credentialsChangedAt: string;
}

interface AgentRow extends Record<string, unknown> {
  id: string;
  household_id: string;
  name: string;
  created_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  credentials_changed_at: Date;
}

const COLUMNS = 'id, household_id, name, created_at, rotated_at, revoked_at, credentials_changed_at';

const toAgent = (r: AgentRow): AgentRecord => ({
  agentId: r.id,
  householdId: r.household_id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  rotatedAt: r.rotated_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  credentialsChangedAt: r.credentials_changed_at.toISOString(),
});

export async function insertAgent(db: Queryable, fields: { agentId: string; householdId: string; name: string; secretHash: Buffer }): Promise<AgentRecord> {
  const rows = await db.query<AgentRow>(
    `INSERT INTO agents (id, household_id, name, secret_hash, credentials_changed_at) VALUES ($1, $2, $3, $4, clock_timestamp()) RETURNING ${COLUMNS}`,
    [fields.agentId, fields.householdId, fields.name, fields.secretHash],
  );
  return toAgent(rows[0] as AgentRow);
}

export async function agentsOf(db: Queryable, householdId: string): Promise<AgentRecord[]> {
  const rows = await db.query<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE household_id = $1 ORDER BY created_at, id`, [householdId]);
  return rows.map(toAgent);
}

/** New secret hash for an active agent of the household; undefined when there is none. */
export async function rotateAgentSecret(db: Queryable, householdId: string, agentId: string, secretHash: Buffer): Promise<AgentRecord | undefined> {
  const rows = await db.query<AgentRow>(
    `UPDATE agents SET secret_hash = $3, rotated_at = now(), credentials_changed_at = clock_timestamp()
      WHERE id = $2 AND household_id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [householdId, agentId, secretHash],
  );
  return rows[0] === undefined ? undefined : toAgent(rows[0]);
}

/** Revokes the agent; 'already' when it was revoked before (nothing changes), undefined when unknown. */
export async function revokeAgent(db: Queryable, householdId: string, agentId: string): Promise<'revoked' | 'already' | undefined> {
  const rows = await db.query<{ was_revoked: boolean }>(
    `UPDATE agents a SET revoked_at = COALESCE(a.revoked_at, now()),
            credentials_changed_at = CASE WHEN a.revoked_at IS NULL THEN clock_timestamp() ELSE a.credentials_changed_at END
      FROM agents old WHERE a.id = old.id AND a.id = $2 AND a.household_id = $1
      RETURNING old.revoked_at IS NOT NULL AS was_revoked`,
    [householdId, agentId],
  );
  if (rows[0] === undefined) return undefined;
  return rows[0].was_revoked ? 'already' : 'revoked';
}
