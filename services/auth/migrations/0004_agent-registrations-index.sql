-- Up Migration
-- The agent-registration quota (data/quota-counts.ts, lockedAgentRegistrationsInDay) counts a
-- household's agents created in the last 24 hours, revoked ones included. With only an index on
-- household_id it read every agent the household ever had, and revoked agents are kept forever;
-- on (household_id, created_at) it reads only the day's rows.
--
-- Not CONCURRENTLY: migrate.ts runs every pending migration in one transaction (singleTransaction),
-- and CREATE INDEX CONCURRENTLY cannot run in a transaction block. A plain build takes a SHARE lock
-- on agents until the migration commits: registering, rotating and revoking agents wait, reads (the
-- broker's CONNECT checks and credential watch, the read service's catalog) do not. The table is
-- small (at most 16 live agents and 32 registrations a day per household), so the build takes
-- milliseconds. An operator with a table large enough to matter can build it by hand first, with
-- this name and definition: `CREATE INDEX CONCURRENTLY agents_by_household_creation ON agents
-- (household_id, created_at)`; IF NOT EXISTS then leaves it as it is.
CREATE INDEX IF NOT EXISTS agents_by_household_creation ON agents (household_id, created_at);

-- household_id leads the new index, so it serves every query agents_by_household did (a
-- household's agents, its live-agent quota, the cascade when a household is deleted); keeping
-- both would only cost every insert and update a second index write. Dropping it locks agents
-- against reads too, from here to the commit just after: a moment, once the index above is built.
DROP INDEX IF EXISTS agents_by_household;

-- Down Migration
CREATE INDEX IF NOT EXISTS agents_by_household ON agents (household_id);
DROP INDEX IF EXISTS agents_by_household_creation;
