// Agents (table agents of migration 0001; a contract with lib/auth/pg-directory.ts, decision 006 §2).
// Every rotate and revoke bumps credentials_changed_at with clock_timestamp(), which the broker
// polls to cut off connections whose credentials changed.
import type { AgentListPosition } from '../domain/agent-list-cursor.js';
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

export const AGENT_LIST_STATES = ['live', 'revoked', 'all'] as const;
export type AgentListState = (typeof AGENT_LIST_STATES)[number];

const STATE_CONDITIONS: Readonly<Record<AgentListState, string>> = {
  live: ' AND revoked_at IS NULL',
  revoked: ' AND revoked_at IS NOT NULL',
  all: '',
};

/**
 * A page of a household's agents in `state` after the position ($2 created_at, $3 id), in
 * (created_at, id) order, at most $4. agents_by_household_creation (0004) serves `all` and
 * `revoked` from the position on, and agents_live_by_household (0005) `live`, which it holds whole
 * (at most the live-agent quota), so no page reads the revoked agents a household piles up.
 * `position` is created_at to the microsecond: a Date would cut it to the millisecond and could
 * skip or repeat agents registered in the same millisecond. Exported so the plan test explains it.
 */
export function agentPageSql(state: AgentListState): string {
  return `SELECT ${COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
     FROM agents WHERE household_id = $1${STATE_CONDITIONS[state]} AND (created_at, id) > ($2::timestamptz, $3::text)
    ORDER BY created_at, id LIMIT $4`;
}

/** Before every agent: any created_at is later than -infinity. */
const START = { createdAt: '-infinity', agentId: '' } as const;

export interface AgentPage {
  readonly agents: AgentRecord[];
  /** Where the next page starts; null when this one holds the last agent. */
  readonly next: AgentListPosition | null;
}

/** Up to `limit` agents of the household in `state`, from just after `after` (from the first without it). */
export async function agentPage(db: Queryable, householdId: string, state: AgentListState, after: AgentListPosition | undefined, limit: number): Promise<AgentPage> {
  const from = after ?? START;
  // One row more than the page tells whether another page follows, so the last page says so.
  const rows = await db.query<AgentRow & { position: string }>(agentPageSql(state), [householdId, from.createdAt, from.agentId, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { agents: page.map(toAgent), next: rows.length > limit && last !== undefined ? { createdAt: last.position, agentId: last.id } : null };
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
