// Refresh (rotation with reuse detection, RFC 9700 §4.14.2; no refresh outlives the session's
// absolute lifetime), logout and password change.
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { DEMO_EMAIL } from '../demo-account.js';
import { revokeFamilyOfToken, revokeOtherFamilies, rotateRefreshToken } from '../data/refresh-tokens-repository.js';
import { findUserById, setPassword, type UserRecord } from '../data/users-repository.js';
import { normaliseEmail } from '../domain/email-address.js';
import { authError } from '../errors.js';
import { refreshLifetime, tokenPair, type TokenPair } from './user-tokens.js';

export async function refresh(ctx: AuthContext, refreshToken: string, remoteAddress: string): Promise<TokenPair> {
  const outcome = await rotateRefreshToken(ctx.db, refreshToken, refreshLifetime(ctx));
  if (outcome.kind === 'reused') {
    ctx.metrics.refreshReuse.inc();
    await audit(ctx.db, { event: 'refresh-reuse-detected', userId: outcome.userId, remoteAddress, detail: { sessionId: outcome.familyId } });
    ctx.log.warn({ userId: outcome.userId, sessionId: outcome.familyId }, 'refresh token reused; session family revoked');
    throw authError('token-reuse-detected', 'this refresh token was already used; the session has been ended, log in again');
  }
  const user = outcome.kind === 'rotated' ? await findUserById(ctx.db, outcome.userId) : undefined;
  if (outcome.kind === 'invalid' || user === undefined) {
    // A session past its absolute lifetime answers like an expired token: log in again.
    throw authError('invalid-refresh-token', 'the refresh token is unknown, expired or revoked');
  }
  return tokenPair(ctx, user, outcome.familyId, outcome.next);
}

/** Ends the session (refresh-token family) of `refreshToken`. Unknown tokens are ignored (idempotent). */
export async function logout(ctx: AuthContext, refreshToken: string, remoteAddress: string): Promise<void> {
  const ended = await revokeFamilyOfToken(ctx.db, refreshToken);
  if (ended !== undefined) await audit(ctx.db, { event: 'logout', userId: ended.userId, remoteAddress, detail: { sessionId: ended.familyId } });
}

export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/**
 * Re-authenticates with the current password, then ends every other session of the user. The
 * check counts toward the account's login throttle, so a stolen access token does not open an
 * unthrottled way to guess the password.
 */
export async function changePassword(
  ctx: AuthContext,
  user: UserRecord,
  sessionId: string | undefined,
  change: PasswordChange,
  remoteAddress: string,
): Promise<void> {
  // The demo account is shared by everyone who tries the app, its password printed and documented:
  // one visitor changing it would lock out all the others until the next start.
  if (normaliseEmail(user.email) === normaliseEmail(DEMO_EMAIL)) throw authError('forbidden', "the demo account's password is shared and cannot be changed");
  const attempt = { emailNormalized: normaliseEmail(user.email), address: remoteAddress };
  const decision = await ctx.throttle.reserveAttempt(attempt);
  if (decision.throttled) {
    ctx.metrics.throttled.inc();
    await audit(ctx.db, { event: 'login-throttled', userId: user.id, remoteAddress, detail: { retryAfterS: decision.retryAfterS } });
    throw authError('throttled', `too many failed attempts; retry in ${decision.retryAfterS} s`, { 'retry-after': String(decision.retryAfterS) });
  }
  const ok = user.passwordHash !== null && (await ctx.passwords.verify(user.passwordHash, change.currentPassword));
  if (!ok) {
    await audit(ctx.db, { event: 'login-failure', userId: user.id, remoteAddress, detail: { reason: 'wrong-current-password' } });
    throw authError('invalid-credentials', 'the current password is wrong');
  }
  await ctx.throttle.release(decision);
  const hash = await ctx.passwords.hash(change.newPassword);
  await ctx.db.transaction(async (tx) => {
    await setPassword(tx, user.id, hash);
    await revokeOtherFamilies(tx, user.id, sessionId);
    await audit(tx, { event: 'password-changed', userId: user.id, remoteAddress, detail: { keptSession: sessionId ?? null } });
  });
}
