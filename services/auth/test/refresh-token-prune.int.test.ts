// Refresh tokens over (expired, or of a session past its maximum age) for more than the grace are
// deleted by the periodic prune; tokens that can still be presented stay, used ones included (reuse
// detection needs them), and a pruned token answers as it did before: invalid. The prune is called
// directly with its `now`, on real PostgreSQL; tokens are aged by moving their times back, or made
// in bulk with the times a test needs. The prune deletes in batches, expired tokens first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import type { Db } from '../data/db.js';
import { EXPIRED_REFRESH_TOKENS_BATCH_SQL, SESSION_OVER_REFRESH_TOKENS_BATCH_SQL } from '../data/refresh-tokens-repository.js';
import { sha256 } from '../domain/secrets.js';
import type { PruneOptions } from '../use-cases/prune-in-batches.js';
import { pruneRefreshTokens, REFRESH_TOKEN_PRUNE_GRACE_MS } from '../use-cases/prune-refresh-tokens.js';
import { startTestService, testConfig, type TestService } from './auth-test-service.js';

const DAY_S = 24 * 3600;
const MAX_AGE_S = 90 * DAY_S;
const GRACE_S = REFRESH_TOKEN_PRUNE_GRACE_MS / 1000;

let t: TestService;
let bulkUserId: string; // the owner of the tokens made in bulk
beforeAll(async () => {
  t = await startTestService('auth_refresh_token_prune', { EM_AUTH_SESSION_MAX_AGE_S: String(MAX_AGE_S) });
  const user = await t.service.db.query<{ id: string }>("INSERT INTO users (subject, email, email_normalized) VALUES ('bulk', 'bulk@example.test', 'bulk@example.test') RETURNING id");
  bulkUserId = user[0]?.id ?? '';
});
afterAll(async () => t?.close());

const config = (): ReturnType<typeof testConfig> => testConfig(t.databaseUrl, { EM_AUTH_SESSION_MAX_AGE_S: String(MAX_AGE_S) });
const prune = (): Promise<number> => pruneRefreshTokens({ db: t.service.db, metrics: t.service.metrics, log: silentLogger(), config: config() }, new Date());
const pruned = async (): Promise<number> => (await t.service.metrics.refreshTokensPruned.get()).values[0]?.value ?? 0;
const stored = async (token: string): Promise<boolean> =>
  (await t.service.db.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1', [sha256(token)])).length === 1;
const refresh = (token: string) => t.request('POST', '/v1/auth/refresh', { body: { refresh_token: token } });

/** Moves a token's expiry `s` seconds into the past (from PostgreSQL's now). */
async function expiredAgo(token: string, s: number): Promise<void> {
  await t.service.db.query('UPDATE refresh_tokens SET expires_at = now() - make_interval(secs => $2) WHERE token_hash = $1', [sha256(token), s]);
}

/** Moves the login of a token's session `s` seconds into the past. */
async function sessionBeganAgo(token: string, s: number): Promise<void> {
  await t.service.db.query('UPDATE refresh_tokens SET session_started_at = now() - make_interval(secs => $2) WHERE token_hash = $1', [sha256(token), s]);
}

it('when tokens have been over for longer than the grace, then the prune deletes exactly those, counts them, and they answer invalid as before', async () => {
  // Tokens over for longer than the grace: expired, and of a session past its maximum age.
  const expired = (await t.newUser('expired-long-ago')).refreshToken;
  await expiredAgo(expired, GRACE_S + 60);
  const sessionOver = (await t.newUser('session-over')).refreshToken;
  await sessionBeganAgo(sessionOver, MAX_AGE_S + GRACE_S + 60);
  // Tokens that stay: over only within the grace, a live one, and a used one not yet expired
  // (shown again, it revokes its family).
  const expiredLately = (await t.newUser('expired-lately')).refreshToken;
  await expiredAgo(expiredLately, GRACE_S - 60);
  const live = (await t.newUser('live')).refreshToken;
  const used = (await t.newUser('used')).refreshToken;
  expect((await refresh(used)).statusCode).toBe(200);
  const before = await pruned();

  expect(await prune()).toBe(2); // this file's database holds only its own tokens
  expect(await stored(expired)).toBe(false);
  expect(await stored(sessionOver)).toBe(false);
  for (const token of [expiredLately, live, used]) expect(await stored(token)).toBe(true);
  expect(await pruned()).toBe(before + 2);

  expect((await refresh(expired)).statusCode).toBe(401);
  expect((await refresh(sessionOver)).statusCode).toBe(401);
  expect(await prune()).toBe(0);
});

it('when a used token that is not over is shown again after a prune, then reuse is still detected and its family revoked', async () => {
  const first = (await t.newUser('reuse-after-prune')).refreshToken;
  const second = (await refresh(first)).json<{ refresh_token: string }>().refresh_token;
  await prune();
  expect((await refresh(first)).statusCode).toBe(401);
  // The family is revoked: the token the rotation handed out no longer works either.
  expect((await refresh(second)).statusCode).toBe(401);
});

const DAY_MS = DAY_S * 1000;

/** The prune at `now`, on a db that records the rows each batch deleted, by kind of batch. */
function recordedPrune(now: Date, options: PruneOptions = {}): { run: () => Promise<number>; batches: { expired: number[]; sessionOver: number[] } } {
  const batches = { expired: [] as number[], sessionOver: [] as number[] };
  const db: Db = {
    ...t.service.db,
    async query(sql, params) {
      const rows = await t.service.db.query(sql, params);
      const n = (rows[0] as { n: number } | undefined)?.n ?? -1;
      if (sql === EXPIRED_REFRESH_TOKENS_BATCH_SQL) batches.expired.push(n);
      if (sql === SESSION_OVER_REFRESH_TOKENS_BATCH_SQL) batches.sessionOver.push(n);
      return rows as never;
    },
  };
  return { run: () => pruneRefreshTokens({ db, metrics: t.service.metrics, log: silentLogger(), config: config() }, now, options), batches };
}

/** `count` tokens named `label` 1…count (their hashes say nothing else), of the bulk user, with the given times. */
async function insertTokens(label: string, count: number, times: { sessionStartedAt: Date; expiresAt: Date }): Promise<void> {
  await t.service.db.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, user_id, session_started_at, expires_at)
     SELECT sha256(($1 || i)::bytea), gen_random_uuid(), $2, $3, $4 FROM generate_series(1, $5::int) i`,
    [label, bulkUserId, times.sessionStartedAt, times.expiresAt, count],
  );
}

/** How many tokens of each label are stored, labels with none left out. */
async function leftByLabel(labels: Readonly<Record<string, number>>): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const [label, count] of Object.entries(labels)) {
    const rows = await t.service.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash IN (SELECT sha256(($1 || i)::bytea) FROM generate_series(1, $2::int) i)',
      [label, count],
    );
    if ((rows[0]?.n ?? 0) > 0) left[label] = rows[0]?.n ?? 0;
  }
  return left;
}

/** Every token, so that each test below starts from its own. */
const clear = async (): Promise<void> => void (await t.service.db.query('DELETE FROM refresh_tokens'));

it('when tokens are over just before the cutoff or exactly at it, then those before go and those at it stay, by expiry and by session age alike', async () => {
  await clear();
  const now = new Date();
  const cutoff = now.getTime() - REFRESH_TOKEN_PRUNE_GRACE_MS;
  const sessionCutoff = cutoff - MAX_AGE_S * 1000; // a session that began then is over at the cutoff
  const [recently, later] = [new Date(now.getTime() - DAY_MS), new Date(now.getTime() + 20 * DAY_MS)];
  await insertTokens('expired-before', 1, { sessionStartedAt: recently, expiresAt: new Date(cutoff - 1) });
  await insertTokens('expired-at', 1, { sessionStartedAt: recently, expiresAt: new Date(cutoff) });
  // Not expired, their session past the maximum age: issued under a longer one, since lowered.
  await insertTokens('session-over-before', 1, { sessionStartedAt: new Date(sessionCutoff - 1), expiresAt: later });
  await insertTokens('session-over-at', 1, { sessionStartedAt: new Date(sessionCutoff), expiresAt: later });
  await insertTokens('live', 1, { sessionStartedAt: recently, expiresAt: later });
  const counted = await pruned();

  const prune = recordedPrune(now);
  expect(await prune.run()).toBe(2);
  expect(prune.batches).toEqual({ expired: [1], sessionOver: [1] });
  expect(await leftByLabel({ 'expired-before': 1, 'expired-at': 1, 'session-over-before': 1, 'session-over-at': 1, live: 1 })).toEqual({
    'expired-at': 1,
    'session-over-at': 1,
    live: 1,
  });
  expect(await pruned()).toBe(counted + 2);
});

it('when many tokens are over, then they go in batches of at most the batch size, expired ones first, each counted once', async () => {
  await clear();
  const now = new Date();
  const [longAgo, recently, later] = [new Date(now.getTime() - 2 * DAY_MS), new Date(now.getTime() - DAY_MS), new Date(now.getTime() + 20 * DAY_MS)];
  const sessionOver = new Date(now.getTime() - (MAX_AGE_S + 1) * 1000 - REFRESH_TOKEN_PRUNE_GRACE_MS);
  await insertTokens('expired', 20, { sessionStartedAt: recently, expiresAt: longAgo });
  await insertTokens('both', 5, { sessionStartedAt: sessionOver, expiresAt: longAgo }); // in the expired batches only
  await insertTokens('session-over', 25, { sessionStartedAt: sessionOver, expiresAt: later });
  await insertTokens('live', 3, { sessionStartedAt: recently, expiresAt: later });
  const counted = await pruned();

  const prune = recordedPrune(now, { batchRows: 10 });
  expect(await prune.run()).toBe(50);
  expect(prune.batches).toEqual({ expired: [10, 10, 5], sessionOver: [10, 10, 5] });
  expect(await leftByLabel({ expired: 20, both: 5, 'session-over': 25, live: 3 })).toEqual({ live: 3 });
  expect(await pruned()).toBe(counted + 50);
});

it('when the service stops during a prune, then no further batch starts, of either kind; the next prune goes on where it ended', async () => {
  await clear();
  const now = new Date();
  const [longAgo, recently, later] = [new Date(now.getTime() - 2 * DAY_MS), new Date(now.getTime() - DAY_MS), new Date(now.getTime() + 20 * DAY_MS)];
  await insertTokens('expired', 25, { sessionStartedAt: recently, expiresAt: longAgo });
  await insertTokens('session-over', 25, { sessionStartedAt: new Date(now.getTime() - 2 * MAX_AGE_S * 1000), expiresAt: later });
  const stopping = new AbortController();
  stopping.abort();
  const counted = await pruned();

  const first = recordedPrune(now, { batchRows: 10, signal: stopping.signal });
  expect(await first.run()).toBe(10);
  expect(first.batches).toEqual({ expired: [10], sessionOver: [] });
  const next = recordedPrune(now, { batchRows: 10 });
  expect(await next.run()).toBe(40);
  expect(next.batches).toEqual({ expired: [10, 5], sessionOver: [10, 10, 5] });
  expect(await pruned()).toBe(counted + 50);
});
