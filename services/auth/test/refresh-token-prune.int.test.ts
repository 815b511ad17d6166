// Refresh tokens over (expired, or of a session past its maximum age) for more than the grace are
// deleted by the periodic prune; tokens that can still be presented stay, used ones included (reuse
// detection needs them), and a pruned token answers as it did before: invalid. The prune is called
// directly with its `now`, on real PostgreSQL; tokens are aged by moving their times back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log.js';
import { sha256 } from '../domain/secrets.js';
import { pruneRefreshTokens, REFRESH_TOKEN_PRUNE_GRACE_MS } from '../use-cases/prune-refresh-tokens.js';
import { startTestService, testConfig, type TestService } from './auth-test-service.js';

const DAY_S = 24 * 3600;
const MAX_AGE_S = 90 * DAY_S;
const GRACE_S = REFRESH_TOKEN_PRUNE_GRACE_MS / 1000;

let t: TestService;
beforeAll(async () => {
  t = await startTestService('auth_refresh_token_prune', { EM_AUTH_SESSION_MAX_AGE_S: String(MAX_AGE_S) });
});
afterAll(async () => t?.close());

const prune = (): Promise<number> =>
  pruneRefreshTokens({ db: t.service.db, metrics: t.service.metrics, log: silentLogger(), config: testConfig(t.databaseUrl, { EM_AUTH_SESSION_MAX_AGE_S: String(MAX_AGE_S) }) }, new Date());
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
