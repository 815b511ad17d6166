-- Up Migration
-- What the auth service itself needs beyond the shared read model of 0001: refresh-token families,
-- login throttling, signing keys, household invitations and OAuth2 service clients.

-- Refresh tokens (RFC 9700 §4.14.2): opaque, stored as SHA-256, one row per issued token. A login
-- starts a family; each refresh marks its token used and adds the next one to the same family.
-- Presenting a used token again means it leaked: the whole family is revoked.
CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

-- Failed logins, one row each, keyed by `account:<sha256 of email>` or `address:<ip>`. In
-- PostgreSQL so the limit survives restarts and holds across replicas (ASVS V2.2.1).
CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  throttle_key text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX login_failures_by_key_time ON login_failures (throttle_key, at DESC);
CREATE INDEX login_failures_by_time ON login_failures (at);

-- Ed25519 signing keys as JWK. In the database rather than a file so that every replica signs with
-- and publishes the same keys without a shared volume; see services/auth/signing-keys.ts.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- A retired key no longer signs; it stays in the JWKS until tokens it signed have expired.
  retired_at timestamptz
);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id text NOT NULL REFERENCES households(id) ON DELETE CASCADE,
  email text NOT NULL,
  email_normalized text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_by_household ON invitations (household_id);

-- OAuth2 client_credentials clients (RFC 6749 §4.4): our own services. The secret is 256-bit
-- random, so SHA-256 suffices (same reasoning as agent secrets, decision 006 §3).
CREATE TABLE service_clients (
  client_id topic_id PRIMARY KEY,
  secret_hash bytea NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE INDEX audit_log_by_event ON audit_log (event, at);

-- Down Migration
DROP INDEX audit_log_by_event;
DROP TABLE service_clients;
DROP TABLE invitations;
DROP TABLE signing_keys;
DROP TABLE login_failures;
DROP TABLE refresh_tokens;
