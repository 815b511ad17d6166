// The periodic prune as the running service starts it (prune-schedule.ts, EM_AUTH_PRUNE_INTERVAL_MS
// at its 1 s minimum), on real PostgreSQL. Nothing here calls a prune: rows past their use are
// inserted beside rows still in use, and the test waits, bounded, for the service's own timer.
// What each prune deletes is tested with the prune itself (refresh-token-prune, invitation-retention,
// audit-retention).
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPostgresUrl, parsePostgresUrl } from '../../../infra/psql.js';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.js';
import { createAuthService, type AuthService } from '../app.js';
import { PRUNE_INTERVAL_MIN_MS } from '../config.js';
import { sha256 } from '../domain/secrets.js';
import { AUDIT_PRUNE_BATCH_ROWS } from '../use-cases/prune-audit-log.js';
import { PRUNE_BATCH_ROWS } from '../use-cases/prune-in-batches.js';
import { createTestDatabase, testConfig } from './auth-test-service.js';

const INTERVAL_MS = PRUNE_INTERVAL_MIN_MS;
const WITHIN_PASSES = { timeout: 10 * INTERVAL_MS, interval: 100 };
const EVERY_TABLE = ['audit_log', 'invitations', 'login_failures', 'refresh_tokens'];
const WARN = 40;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly err?: { readonly message?: string };
}

function recordingLogger(): { readonly log: Logger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }), lines };
}

/** A direct connection to the service's database (never through the proxy), with a user and a household. */
async function openTables(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const user = await client.query<{ id: string }>("INSERT INTO users (subject, email, email_normalized) VALUES ('prune', 'p@example.test', 'p@example.test') RETURNING id");
  const household = await client.query<{ id: string }>("INSERT INTO households (name) VALUES ('Home') RETURNING id");
  return {
    client,
    /**
     * One row in each pruned table. Over: a refresh token expired 2 h ago (the grace is 1 h), an
     * invitation expired 31 days ago (kept 30), a login failure 2 h old (the window is 1 h), an
     * audit record 401 days old (kept 400). In use: a live token, an open invitation, a failure
     * and an audit record a minute old.
     */
    async insert(label: string, over: boolean): Promise<void> {
      await client.query('INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, gen_random_uuid(), $2, now() + $3::interval)', [
        sha256(label),
        user.rows[0]?.id,
        over ? '-2 hours' : '30 days',
      ]);
      await client.query('INSERT INTO invitations (household_id, email, email_normalized, token_hash, expires_at) VALUES ($1, $2, $2, $3, now() + $4::interval)', [
        household.rows[0]?.id,
        `${label}@example.test`,
        sha256(label),
        over ? '-31 days' : '7 days',
      ]);
      await client.query('INSERT INTO login_failures (throttle_key, at) VALUES ($1, now() + $2::interval)', [`account:${label}`, over ? '-2 hours' : '-1 minute']);
      await client.query('INSERT INTO audit_log (event, at) VALUES ($1, now() + $2::interval)', [`test:${label}`, over ? '-401 days' : '-1 minute']);
    },
    /** The tables still holding the rows `insert(label)` made. */
    async left(label: string): Promise<string[]> {
      const { rows } = await client.query<{ t: string }>(
        `SELECT 'refresh_tokens' AS t FROM refresh_tokens WHERE token_hash = $1
         UNION ALL SELECT 'invitations' FROM invitations WHERE token_hash = $1
         UNION ALL SELECT 'login_failures' FROM login_failures WHERE throttle_key = $2
         UNION ALL SELECT 'audit_log' FROM audit_log WHERE event = $3 ORDER BY t`,
        [sha256(label), `account:${label}`, `test:${label}`],
      );
      return rows.map((r) => r.t);
    },
  };
}

describe('the prune timer of a running service', () => {
  const { log, lines } = recordingLogger();
  let service: AuthService;
  let stopped = false;
  let tables: Awaited<ReturnType<typeof openTables>>;
  beforeAll(async () => {
    const url = await createTestDatabase('auth_prune_schedule');
    service = await createAuthService(testConfig(url, { EM_AUTH_PRUNE_INTERVAL_MS: String(INTERVAL_MS) }), { log });
    await service.start();
    tables = await openTables(url);
  });
  afterAll(async () => {
    if (!stopped) await service?.stop();
    await tables?.client.end();
  });

  it('when rows are past their use, then the service’s own timer deletes them from every table within a few intervals, counts them, and keeps rows still in use', async () => {
    await tables.insert('over', true);
    await tables.insert('in-use', false);
    expect(await tables.left('over')).toEqual(EVERY_TABLE);

    await expect.poll(() => tables.left('over'), WITHIN_PASSES).toEqual([]);
    expect(await tables.left('in-use')).toEqual(EVERY_TABLE);
    expect((await service.metrics.invitationsPruned.get()).values[0]?.value).toBe(1);
    expect((await service.metrics.refreshTokensPruned.get()).values[0]?.value).toBe(1);
    expect((await service.metrics.auditRowsPruned.get()).values[0]?.value).toBe(1);
  });

  it('when the service has stopped, then no pass runs: rows past their use stay, and nothing is logged (a pass would fail on the closed pool)', async () => {
    await service.stop();
    stopped = true;
    const linesAtStop = lines.length;
    await tables.insert('over-after-stop', true);
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    expect(await tables.left('over-after-stop')).toEqual(EVERY_TABLE);
    expect(lines.slice(linesAtStop)).toEqual([]);
  });
});

describe('the prune timer stopping during long prunes', () => {
  let service: AuthService;
  let stopped = false;
  let client: pg.Client;
  let url: string;
  beforeAll(async () => {
    url = await createTestDatabase('auth_prune_stop');
    service = await createAuthService(testConfig(url, { EM_AUTH_PRUNE_INTERVAL_MS: String(INTERVAL_MS) }), { log: recordingLogger().log });
    await service.start();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(async () => {
    if (!stopped) await service?.stop();
    await client?.end();
  });

  /** Rows a statement deletes at most, by table. */
  const BATCH_ROWS = { audit_log: AUDIT_PRUNE_BATCH_ROWS, invitations: PRUNE_BATCH_ROWS, refresh_tokens: PRUNE_BATCH_ROWS };
  const BATCHED_TABLES = Object.keys(BATCH_ROWS);
  const backlog = async (): Promise<Record<string, number>> => {
    const { rows } = await client.query<{ t: string; n: number }>(
      `SELECT 'audit_log' AS t, count(*)::int AS n FROM audit_log WHERE event = 'backlog'
       UNION ALL SELECT 'invitations', count(*)::int FROM invitations WHERE email LIKE 'backlog-%'
       UNION ALL SELECT 'refresh_tokens', count(*)::int FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`,
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  };

  it('when the service stops while batches run, then those batches end and no further one starts: the backlogs are left for the next start', async () => {
    // Three batches of backlog in each table, past their use; a SHARE lock on each holds the pass's
    // first DELETEs. The lock is taken first and the backlog inserted in the same transaction: a
    // pass every second would otherwise find a table's backlog before the lock (inserting 20,000
    // rows on a busy machine takes longer than that), prune it whole, and never wait on it.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${BATCHED_TABLES.join(', ')} IN SHARE MODE`);
      await locker.query("INSERT INTO audit_log (event, at) SELECT 'backlog', now() - interval '401 days' FROM generate_series(1, $1::int)", [
        2 * BATCH_ROWS.audit_log + 1,
      ]);
      const household = await locker.query<{ id: string }>("INSERT INTO households (name) VALUES ('Home') RETURNING id");
      await locker.query(
        `INSERT INTO invitations (household_id, email, email_normalized, token_hash, expires_at)
         SELECT $1, 'backlog-' || i, 'backlog-' || i, sha256(('backlog-' || i)::bytea), now() - interval '31 days' FROM generate_series(1, $2::int) i`,
        [household.rows[0]?.id, 2 * BATCH_ROWS.invitations + 1],
      );
      const user = await locker.query<{ id: string }>("INSERT INTO users (subject, email, email_normalized) VALUES ('s', 's@example.test', 's@example.test') RETURNING id");
      // Expired, and of sessions past the maximum age too: the prune's second kind of batch would find them if it ran.
      await locker.query(
        `INSERT INTO refresh_tokens (token_hash, family_id, user_id, session_started_at, expires_at)
         SELECT sha256(('backlog-' || i)::bytea), gen_random_uuid(), $1, now() - interval '400 days', now() - interval '2 days' FROM generate_series(1, $2::int) i`,
        [user.rows[0]?.id, 2 * BATCH_ROWS.refresh_tokens + 1],
      );
      // From outside the locking transaction: inside one, pg_stat_activity answers from a snapshot.
      const waitingDeletes = async (): Promise<string[]> => {
        const waiting = await client.query<{ query: string }>("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%DELETE FROM%'");
        return BATCHED_TABLES.filter((table) => waiting.rows.some((row) => row.query.includes(`DELETE FROM ${table}`)));
      };
      await expect.poll(waitingDeletes, WITHIN_PASSES).toEqual(BATCHED_TABLES);

      const stopping = service.stop();
      stopped = true;
      await locker.query('COMMIT');
      await stopping;
    } finally {
      await locker.end();
    }
    expect(await backlog()).toEqual({
      audit_log: BATCH_ROWS.audit_log + 1,
      invitations: BATCH_ROWS.invitations + 1,
      refresh_tokens: BATCH_ROWS.refresh_tokens + 1,
    });
  });
});

describe('the prune timer while the database is away', () => {
  const { log, lines } = recordingLogger();
  let proxy: TcpProxy;
  let service: AuthService;
  let tables: Awaited<ReturnType<typeof openTables>>;
  beforeAll(async () => {
    const url = await createTestDatabase('auth_prune_outage');
    const parts = parsePostgresUrl(url);
    proxy = await startTcpProxy(parts.port);
    service = await createAuthService(testConfig(formatPostgresUrl({ ...parts, port: proxy.port }), { EM_AUTH_PRUNE_INTERVAL_MS: String(INTERVAL_MS) }), { log });
    await service.start();
    tables = await openTables(url);
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
    await tables?.client.end();
  });

  const failures = (): LogLine[] => lines.filter((line) => line.level === WARN && line.msg.startsWith('could not prune'));

  it('when passes fail, then each failure is logged with its error and passes go on; when the database returns, then the next pass prunes', async () => {
    await proxy.cut();
    await tables.insert('over-during-outage', true); // directly, not through the proxy

    // A pass fails for every table, each logged on its own; then another pass fails again.
    await expect.poll(() => new Set(failures().map((line) => line.msg)).size, WITHIN_PASSES).toBe(EVERY_TABLE.length);
    expect(failures()[0]?.err?.message).toBeTruthy();
    const failedSoFar = failures().length;
    await expect.poll(() => failures().length, WITHIN_PASSES).toBeGreaterThanOrEqual(failedSoFar + EVERY_TABLE.length);
    expect(await tables.left('over-during-outage')).toEqual(EVERY_TABLE);

    await proxy.restore();
    await expect.poll(() => tables.left('over-during-outage'), WITHIN_PASSES).toEqual([]);
  });
});
