-- Up Migration
-- Core auth schema. The broker and the read service read `agents`, `memberships` and `users.subject`
-- directly (lib/auth/pg-directory.ts); see docs/decisions/006-auth.md before changing those columns.

-- Identifiers that appear in MQTT topics must match proto/topics.ts ID_PATTERN.
CREATE DOMAIN topic_id AS text CHECK (VALUE ~ '^[A-Za-z0-9_-]{1,64}$');

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- `sub` of this user's access tokens: id::text for local users, the issuer's `sub` for an
  -- external issuer such as Keycloak. Membership checks go by subject, never by email.
  subject text NOT NULL UNIQUE,
  email text NOT NULL,
  email_normalized text NOT NULL UNIQUE,
  display_name text NOT NULL DEFAULT '',
  password_hash text,                       -- Argon2id PHC string; NULL for external users
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE households (
  id topic_id PRIMARY KEY DEFAULT gen_random_uuid()::text,
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'UTC',
  tariff jsonb NOT NULL DEFAULT '{"kind":"flat","currency":"EUR","pricePerKwh":0.30}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  household_id text NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'member')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE agents (
  id topic_id PRIMARY KEY,                 -- MQTT username and topic segment; unique platform-wide
  household_id text NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  name text NOT NULL DEFAULT '',
  -- SHA-256 of a 256-bit random secret. A slow hash protects low-entropy passwords; a random
  -- 256-bit secret cannot be guessed, and the broker checks it on every connect.
  secret_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz,
  revoked_at timestamptz,
  -- Bumped on every rotate/revoke so the broker can find changed credentials since its last poll.
  credentials_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_by_household ON agents (household_id);
CREATE INDEX agents_by_credentials_change ON agents (credentials_changed_at);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  event text NOT NULL,
  user_id uuid,
  household_id text,
  agent_id text,
  remote_address text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- Down Migration
DROP TABLE audit_log;
DROP TABLE agents;
DROP TABLE memberships;
DROP TABLE households;
DROP TABLE users;
DROP DOMAIN topic_id;
