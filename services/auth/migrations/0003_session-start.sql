-- Up Migration
-- The absolute session lifetime (EM_AUTH_SESSION_MAX_AGE_S; RFC 9700 §4.14.2, OWASP Session
-- Management: an absolute timeout) is counted from login. Each refresh token carries the login time
-- of its family, copied on every rotation, so a regularly refreshed session still ends.
-- The default is for a replica still running the previous code during a rolling update: its logins
-- start now, and its rotations slide the session as they always did, until it is replaced.
ALTER TABLE refresh_tokens ADD COLUMN session_started_at timestamptz NOT NULL DEFAULT now();

-- Sessions that exist already began with the first token of their family (no token is ever deleted).
UPDATE refresh_tokens t SET session_started_at = f.started_at
  FROM (SELECT family_id, min(created_at) AS started_at FROM refresh_tokens GROUP BY family_id) f
 WHERE t.family_id = f.family_id;

-- Down Migration
ALTER TABLE refresh_tokens DROP COLUMN session_started_at;
