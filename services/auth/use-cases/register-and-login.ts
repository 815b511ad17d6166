// Registration and password login, without user enumeration (OWASP Authentication Cheat Sheet):
// - register answers the same whether or not the email is taken, after the same Argon2id work;
// - login answers `invalid-credentials` for an unknown email and a wrong password alike, after
//   verifying against a dummy hash, and is throttled per account and per address (ASVS V2.2.1).
import type { AuthContext } from '../auth-context.js';
import { audit } from '../data/audit-log.js';
import { newFamilyId } from '../data/refresh-tokens-repository.js';
import { findUserByEmail, insertUser, replacePasswordHash, type UserRecord } from '../data/users-repository.js';
import { normaliseEmail } from '../domain/email-address.js';
import { authError } from '../errors.js';
import { startSession, type TokenPair } from './user-tokens.js';

export const REGISTER_ACCEPTED = Object.freeze({
  status: 'accepted',
  message: 'If this email address was not registered yet, its account now exists. Log in to continue.',
});

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}

export async function register(ctx: AuthContext, input: Registration, remoteAddress: string): Promise<typeof REGISTER_ACCEPTED> {
  // Counted before the hash, atomically: concurrent registrations cannot overshoot the limit.
  const decision = await ctx.throttle.reserveRegistration(remoteAddress);
  if (decision.throttled) {
    ctx.metrics.throttled.inc();
    throw authError('throttled', `too many registrations from this address; retry in ${decision.retryAfterS} s`, { 'retry-after': String(decision.retryAfterS) });
  }
  const emailNormalized = normaliseEmail(input.email);
  // Hash first on both paths: the time taken must not tell whether the email exists.
  const passwordHash = await ctx.passwords.hash(input.password);
  const user = await insertUser(ctx.db, { email: input.email.trim(), emailNormalized, displayName: input.displayName, passwordHash });
  if (user === undefined) {
    const existing = await findUserByEmail(ctx.db, emailNormalized);
    await audit(ctx.db, { event: 'register-existing-email', userId: existing?.id, remoteAddress });
    ctx.metrics.registrations.inc({ outcome: 'existing-email' });
  } else {
    await audit(ctx.db, { event: 'register', userId: user.id, remoteAddress });
    ctx.metrics.registrations.inc({ outcome: 'created' });
  }
  return REGISTER_ACCEPTED;
}

async function checkPassword(ctx: AuthContext, user: UserRecord | undefined, password: string): Promise<boolean> {
  if (user?.passwordHash == null) return ctx.passwords.verifyNothing(password);
  return ctx.passwords.verify(user.passwordHash, password);
}

/** When the Argon2 parameters were raised since this hash was made, re-hash now (we hold the password). */
async function upgradeHash(ctx: AuthContext, user: UserRecord, password: string): Promise<void> {
  if (user.passwordHash === null || !ctx.passwords.needsRehash(user.passwordHash)) return;
  await replacePasswordHash(ctx.db, user.id, await ctx.passwords.hash(password));
}

export async function login(ctx: AuthContext, input: { email: string; password: string }, remoteAddress: string): Promise<TokenPair> {
  const attempt = { emailNormalized: normaliseEmail(input.email), address: remoteAddress };
  // Counted as a failure before the password is checked (taken back if it is right): while
  // throttled even the right password is refused, and concurrent guesses cannot overshoot the limit.
  const decision = await ctx.throttle.reserveAttempt(attempt);
  if (decision.throttled) {
    ctx.metrics.logins.inc({ outcome: 'throttled' });
    ctx.metrics.throttled.inc();
    await audit(ctx.db, { event: 'login-throttled', remoteAddress, detail: { retryAfterS: decision.retryAfterS } });
    throw authError('throttled', `too many failed logins; retry in ${decision.retryAfterS} s`, { 'retry-after': String(decision.retryAfterS) });
  }
  const user = await findUserByEmail(ctx.db, attempt.emailNormalized);
  if (!(await checkPassword(ctx, user, input.password)) || user === undefined) {
    ctx.metrics.logins.inc({ outcome: 'failure' });
    await audit(ctx.db, { event: 'login-failure', userId: user?.id, remoteAddress, detail: { reason: user ? 'wrong-password' : 'unknown-email' } });
    throw authError('invalid-credentials', 'email or password is wrong');
  }
  await ctx.throttle.release(decision);
  await ctx.throttle.clearAccount(attempt.emailNormalized);
  await upgradeHash(ctx, user, input.password);
  const familyId = newFamilyId();
  const pair = await startSession(ctx, ctx.db, user, familyId);
  ctx.metrics.logins.inc({ outcome: 'success' });
  await audit(ctx.db, { event: 'login-success', userId: user.id, remoteAddress, detail: { sessionId: familyId } });
  return pair;
}
