// Refresh tokens (RFC 9700 §4.14.2): opaque 256-bit values stored as SHA-256, rotated on every use.
// A token presented after it was used means two parties hold it (one of them a thief): the whole
// family — every token descended from the same login — is revoked.
// A family ends for good `sessionMaxAgeS` after its login (OWASP Session Management: an absolute
// timeout): every token of it carries the login time, and none expires later than that end.
import { randomUUID } from 'node:crypto';
import { newSecret, sha256 } from '../domain/secrets.js';
import type { Db, Queryable } from './db.js';

/** How long a refresh token lives, and how long the session (token family) it belongs to. */
export interface RefreshLifetime {
  readonly ttlS: number;
  readonly sessionMaxAgeS: number;
}

export interface IssuedRefreshToken {
  readonly token: string;
  /** Seconds until it expires: the TTL, or less when the session ends sooner. */
  readonly expiresInS: number;
}

export type RotateOutcome =
  | { readonly kind: 'rotated'; readonly userId: string; readonly familyId: string; readonly next: IssuedRefreshToken }
  | { readonly kind: 'reused'; readonly userId: string; readonly familyId: string }
  | { readonly kind: 'invalid' };

interface TokenRow extends Record<string, unknown> {
  family_id: string;
  user_id: string;
  used: boolean;
  revoked: boolean;
  expired: boolean;
}

/**
 * Adds a token to `familyId` and returns it. A new login (a fresh uuid) starts its session now; a
 * rotation keeps the family's login time, so the session's end never moves.
 */
export async function issueRefreshToken(db: Queryable, userId: string, familyId: string, lifetime: RefreshLifetime): Promise<IssuedRefreshToken> {
  const token = newSecret();
  const rows = await db.query<{ expires_in_s: number }>(
    `INSERT INTO refresh_tokens (token_hash, family_id, user_id, session_started_at, expires_at)
     SELECT $1, $2, $3, s.started_at, LEAST(now() + make_interval(secs => $4), s.started_at + make_interval(secs => $5))
       FROM (SELECT COALESCE((SELECT min(session_started_at) FROM refresh_tokens WHERE family_id = $2), now()) AS started_at) s
     RETURNING floor(extract(epoch FROM expires_at - now()))::int AS expires_in_s`,
    [sha256(token), familyId, userId, lifetime.ttlS, lifetime.sessionMaxAgeS],
  );
  return { token, expiresInS: Math.max(0, rows[0]?.expires_in_s ?? 0) };
}

export const newFamilyId = (): string => randomUUID();

/**
 * One transaction: the row is locked, so two concurrent uses of one token cannot both rotate it.
 * A token whose session is over counts as expired, also when it was issued before the session
 * limit existed or under a longer one.
 */
export async function rotateRefreshToken(db: Db, token: string, lifetime: RefreshLifetime): Promise<RotateOutcome> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<TokenRow>(
      `SELECT family_id, user_id, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked,
              expires_at <= now() OR session_started_at + make_interval(secs => $2) <= now() AS expired
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [sha256(token), lifetime.sessionMaxAgeS],
    );
    const row = rows[0];
    if (row === undefined || row.expired) return { kind: 'invalid' };
    if (row.used) {
      await revokeFamily(tx, row.family_id);
      return { kind: 'reused', userId: row.user_id, familyId: row.family_id };
    }
    if (row.revoked) return { kind: 'invalid' };
    await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [sha256(token)]);
    const next = await issueRefreshToken(tx, row.user_id, row.family_id, lifetime);
    return { kind: 'rotated', userId: row.user_id, familyId: row.family_id, next };
  });
}

export async function revokeFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [familyId]);
}

/** Logout: revokes the family of `token`; returns its user and family, if the token was known. */
export async function revokeFamilyOfToken(db: Queryable, token: string): Promise<{ userId: string; familyId: string } | undefined> {
  const rows = await db.query<{ user_id: string; family_id: string }>(
    `UPDATE refresh_tokens SET revoked_at = now()
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL
      RETURNING user_id, family_id`,
    [sha256(token)],
  );
  return rows[0] === undefined ? undefined : { userId: rows[0].user_id, familyId: rows[0].family_id };
}

/** After a password change: every session of the user but `keepFamilyId` ends. */
export async function revokeOtherFamilies(db: Queryable, userId: string, keepFamilyId: string | undefined): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2', [
    userId,
    keepFamilyId ?? null,
  ]);
}

// The prune (use-cases/prune-refresh-tokens.ts) deletes tokens over before a cutoff: expired, or
// of a session past its maximum age. An over token is answered as an unknown one ('invalid',
// rotateRefreshToken), so deleting it changes no answer: reuse detection needs only the used tokens
// not yet over. The two ways to be over are two statements, each along an index of its own: joined
// by OR, the condition can be read from both indexes at once (a BitmapOr) but in no order, so a
// batch's LIMIT could not stop the scan, and every batch would read every token over.
//
// A batch takes at most $n rows in index order and locks them (SKIP LOCKED: replicas pruning at once
// take different rows instead of waiting, and a token being rotated is left for the next pass),
// then deletes them by primary key. Matched by = ANY of the array, not by a join: with 10,000 rows a
// join was planned as a hash join over the whole table once it held a million rows (0.3-0.5 s a
// batch, every row read); the array can only be looked up in the primary key (40-310 ms a batch on
// the tests' PostgreSQL 15 over 1,080,000 rows). Exported so the plan tests explain the real text.

/** Tokens that expired before $1, at most $2, along refresh_tokens_by_expiry (0002). */
export const EXPIRED_REFRESH_TOKENS_BATCH_SQL = `WITH gone AS (
    DELETE FROM refresh_tokens WHERE token_hash = ANY (ARRAY(
      SELECT token_hash FROM refresh_tokens WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED))
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM gone`;

/**
 * Tokens of sessions past the maximum age of $2 seconds before $1, at most $3, along
 * refresh_tokens_by_session_start (0006). Asked as session_started_at < $1 - $2, not
 * session_started_at + $2 < $1: the same instants, but only a bound on the column itself can be
 * looked up in its index.
 */
export const SESSION_OVER_REFRESH_TOKENS_BATCH_SQL = `WITH gone AS (
    DELETE FROM refresh_tokens WHERE token_hash = ANY (ARRAY(
      SELECT token_hash FROM refresh_tokens WHERE session_started_at < $1::timestamptz - make_interval(secs => $2)
       ORDER BY session_started_at LIMIT $3 FOR UPDATE SKIP LOCKED))
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM gone`;

/** Deletes at most `maxRows` of the tokens expired before `cutoff`, the earliest first; returns how many. */
export async function deleteExpiredRefreshTokens(db: Queryable, cutoff: Date, maxRows: number): Promise<number> {
  return (await db.query<{ n: number }>(EXPIRED_REFRESH_TOKENS_BATCH_SQL, [cutoff, maxRows]))[0]?.n ?? 0;
}

/** Deletes at most `maxRows` of the tokens whose session was over before `cutoff`, the oldest sessions first; returns how many. */
export async function deleteRefreshTokensOfSessionsOver(db: Queryable, cutoff: Date, sessionMaxAgeS: number, maxRows: number): Promise<number> {
  return (await db.query<{ n: number }>(SESSION_OVER_REFRESH_TOKENS_BATCH_SQL, [cutoff, sessionMaxAgeS, maxRows]))[0]?.n ?? 0;
}
