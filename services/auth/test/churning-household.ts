// For the agent index tests (live-agents-index, agent-list-plans): a household that registered and
// revoked agents for a long time, with a few live ones, beside another household, so that a plan
// reading more than the household's live agents, or more than a page, shows it. Revoked agents are
// kept forever, so this is the history a real household piles up.
import type pg from 'pg';

export interface ChurningHousehold {
  /** How many agents the household registered and revoked, one every `step` back from now. */
  readonly revoked: number;
  /** How many of its agents are live, also one every `step` back from now. */
  readonly live: number;
  /** How many agents the other household has, one every `step` back from now. */
  readonly other: number;
  /** Whether the other household's agents are revoked. */
  readonly otherRevoked: boolean;
  /** Between two registrations, back from now; a revoked agent went a minute (hourly) or an hour (daily) after it came. */
  readonly step: '1 hour' | '1 day';
}

/** How long after its registration an agent was revoked, by `step`. */
const REVOKED_AFTER = { '1 hour': '1 minute', '1 day': '1 hour' } as const;

/** Inserts both households and their agents (agents `revoked-<i>`, `live-<i>`, `other-<i>`); returns their ids. */
export async function seedChurningHousehold(client: pg.Client, seed: ChurningHousehold): Promise<{ householdId: string; otherHouseholdId: string }> {
  const households = await client.query<{ id: string }>("INSERT INTO households (name) VALUES ('churning'), ('other') RETURNING id");
  const householdId = households.rows[0]?.id ?? '';
  const otherHouseholdId = households.rows[1]?.id ?? '';
  const agents = `INSERT INTO agents (id, household_id, secret_hash, created_at, revoked_at)
    SELECT $2 || i, $1, '\\x00'::bytea, now() - i * $5::interval, CASE WHEN $3 THEN now() - i * $5::interval + $6::interval END
      FROM generate_series(1, $4::int) i`;
  const timing = [seed.step, REVOKED_AFTER[seed.step]];
  await client.query(agents, [householdId, 'revoked-', true, seed.revoked, ...timing]);
  await client.query(agents, [householdId, 'live-', false, seed.live, ...timing]);
  await client.query(agents, [otherHouseholdId, 'other-', seed.otherRevoked, seed.other, ...timing]);
  return { householdId, otherHouseholdId };
}
