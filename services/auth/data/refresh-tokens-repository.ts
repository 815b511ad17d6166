// Refresh tokens (RFC 9700 §4.14.2): opaque 256-bit values stored as SHA-256, rotated on every use.
// A token presented after it was used means two parties hold it (one of them a thief): the whole
// family — every token descended from the same login — is revoked.
import { randomUUID } from 'node:crypto';
import { newSecret, sha256 } from '../domain/secrets.js';
import type { Db, Queryable } from './db.js';

export type RotateOutcome =
  | { readonly kind: 'rotated'; readonly userId: string; readonly familyId: string; readonly token: string }
  | { readonly kind: 'reused'; readonly userId: string; readonly familyId: string }
  | { readonly kind: 'invalid' };

interface TokenRow extends Record<string, unknown> {
  family_id: string;
  user_id: string;
  used: boolean;
  revoked: boolean;
  expired: boolean;
}

/** Adds a token to `familyId` (a new login: a fresh uuid) and returns the token itself. */
export async function issueRefreshToken(db: Queryable, userId: string, familyId: string, ttlS: number): Promise<string> {
  const token = newSecret();
  await db.query(
    'INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))',
    [sha256(token), familyId, userId, ttlS],
  );
  return token;
}

export const newFamilyId = (): string => randomUUID();

/** One transaction: the row is locked, so two concurrent uses of one token cannot both rotate it. */
export async function rotateRefreshToken(db: Db, token: string, ttlS: number): Promise<RotateOutcome> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<TokenRow>(
      `SELECT family_id, user_id, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [sha256(token)],
    );
    const row = rows[0];
    if (row === undefined || row.expired) return { kind: 'invalid' };
    if (row.used) {
      await revokeFamily(tx, row.family_id);
      return { kind: 'reused', userId: row.user_id, familyId: row.family_id };
    }
    if (row.revoked) return { kind: 'invalid' };
    await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [sha256(token)]);
    const next = await issueRefreshToken(tx, row.user_id, row.family_id, ttlS);
    return { kind: 'rotated', userId: row.user_id, familyId: row.family_id, token: next };
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
