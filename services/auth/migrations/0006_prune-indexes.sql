-- Up Migration
-- The periodic prunes of refresh tokens and invitations (use-cases/prune-refresh-tokens.ts,
-- prune-invitations.ts) read the whole table on every pass, every 10 minutes on every replica:
-- nothing indexed what they ask. They now delete in batches along an index each, reading only the
-- rows they delete however large the table (test/prune-indexes.int.test.ts).
--
-- Refresh tokens: a token is over when it expired (refresh_tokens_by_expiry, 0002, serves that) or
-- when its session is past EM_AUTH_SESSION_MAX_AGE_S, which the prune now asks as
-- session_started_at < cutoff - max age. The maximum age is a setting, so no partial index can hold
-- just the sessions over; a plain index on session_started_at can. Tokens issued since 0003 never
-- expire after their session's end, so this half deletes anything only when the setting was
-- lowered or for tokens from before 0003, but without the index it would still read every row to
-- find that out. Cost: one more index entry per issued token (a login or a refresh); rotation
-- changes used_at only, which stays a HOT update as before.
--
-- Invitations: an invitation closes when it is accepted, or (never accepted) when it expires:
-- coalesce(accepted_at, expires_at), as an invitation is never accepted after its expiry. One index
-- on that expression answers the prune's condition with one range scan, in closing order, so a
-- batch takes the longest-closed first; two partial indexes (on accepted_at where accepted, on
-- expires_at where not) would need two scans and two kinds of batch for the same thing. Accepting
-- changes the indexed value: one more index write on a rare update.
--
-- Not CONCURRENTLY, for the same reason as 0004: migrate.ts runs every pending migration in one
-- transaction (singleTransaction), and CREATE INDEX CONCURRENTLY cannot run in a transaction block.
-- A plain build takes a SHARE lock on its table until the migration commits: reads go on, writes
-- wait. For invitations (at most 10 open per household, closed ones kept 30 days) that is
-- milliseconds. refresh_tokens can be large: a session refreshed every 10 minutes leaves about 4,300
-- rows over the refresh-token lifetime of 30 days. Measured on the tests' PostgreSQL 15 (fsync off,
-- warm cache), the build took 0.5 s over 1,080,000 rows (250 such sessions): logins, refreshes and
-- logouts wait that long, and proportionally longer on a larger table or a slower disk.
-- An operator with a table large enough to matter can build them by hand first, with these names
-- and definitions: `CREATE INDEX CONCURRENTLY refresh_tokens_by_session_start ON refresh_tokens
-- (session_started_at)` and `CREATE INDEX CONCURRENTLY invitations_by_closing ON invitations
-- ((coalesce(accepted_at, expires_at)))`; IF NOT EXISTS then leaves them as they are.
CREATE INDEX IF NOT EXISTS refresh_tokens_by_session_start ON refresh_tokens (session_started_at);
CREATE INDEX IF NOT EXISTS invitations_by_closing ON invitations ((coalesce(accepted_at, expires_at)));

-- Down Migration
DROP INDEX IF EXISTS invitations_by_closing;
DROP INDEX IF EXISTS refresh_tokens_by_session_start;
