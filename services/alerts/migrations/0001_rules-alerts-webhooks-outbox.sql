-- Up Migration
-- The alerts service's own tables, in schema `alerts` of the auth service's database (households,
-- memberships and time zones stay the auth service's; this schema only refers to household ids).
-- The schema exists before this runs (data/migrate.ts): the service's role may not CREATE SCHEMA,
-- not even IF NOT EXISTS.

-- Rules as the homeowner defined them. `params` holds the kind's fields (deviceId, thresholdW,
-- forSeconds, silentSeconds, thresholdKwh), validated by the API's zod schema before they land here.
CREATE TABLE alerts.rules (
  id uuid PRIMARY KEY,
  household_id text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('power-above', 'device-silent', 'daily-energy-above')),
  enabled boolean NOT NULL DEFAULT true,
  params jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rules_by_household ON alerts.rules (household_id, created_at);
CREATE INDEX rules_enabled ON alerts.rules (household_id) WHERE enabled;

-- Alert instances. An alert keeps its rule's name and kind, so history survives deleting the rule.
-- `subject` is the device id, or '' for the whole household. The partial unique index is the
-- deduplication: at most one firing alert per (rule, subject), whatever the number of replicas.
CREATE TABLE alerts.alerts (
  id uuid PRIMARY KEY,
  household_id text NOT NULL,
  rule_id uuid REFERENCES alerts.rules(id) ON DELETE SET NULL,
  rule_name text NOT NULL,
  kind text NOT NULL,
  subject text NOT NULL,
  state text NOT NULL CHECK (state IN ('firing', 'resolved')),
  value double precision NOT NULL,
  unit text NOT NULL,
  threshold double precision NOT NULL,
  resolved_value double precision,
  started_at timestamptz NOT NULL,
  resolved_at timestamptz,
  CHECK ((state = 'firing') = (resolved_at IS NULL))
);
CREATE UNIQUE INDEX alerts_one_firing ON alerts.alerts (rule_id, subject) WHERE state = 'firing';
CREATE INDEX alerts_by_household ON alerts.alerts (household_id, started_at DESC);

-- One webhook per household. The secret is kept as given: signing needs it (it is a shared HMAC
-- key, not a password), and only its last four characters are ever shown again.
CREATE TABLE alerts.webhooks (
  household_id text PRIMARY KEY,
  url text NOT NULL,
  secret text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Webhook events to deliver, written in the transaction that records the alert change. `body` is
-- the exact JSON sent (and signed) on every attempt.
CREATE TABLE alerts.outbox (
  event_id uuid PRIMARY KEY,
  household_id text NOT NULL,
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  failed_at timestamptz,
  last_status integer,
  last_error text
);
CREATE INDEX outbox_due ON alerts.outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_by_household ON alerts.outbox (household_id, created_at DESC);

-- Down Migration
DROP SCHEMA alerts CASCADE;
