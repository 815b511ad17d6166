// Failed-login (and registration) bookkeeping in PostgreSQL (table login_failures), so throttling survives restarts
// and holds across replicas. Keys never contain the email itself: `account:` + SHA-256 of the
// normalised email (unknown emails are throttled exactly like known ones: no enumeration), and
// `address:` + the client address.
import { decideThrottle, strictest, type ThrottleDecision } from '../domain/throttle-window.js';
import { sha256 } from '../domain/secrets.js';
import type { Db } from './db.js';

export interface ThrottleLimits {
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerAddress: number;
  /** Registrations per client address per window: each costs an Argon2id hash (CPU) and a row. */
  readonly maxRegistrationsPerAddress: number;
  readonly windowS: number;
}

export interface LoginAttempt {
  readonly emailNormalized: string;
  readonly address: string;
}

export interface LoginThrottle {
  check(attempt: LoginAttempt): Promise<ThrottleDecision>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** After a successful login the account's failures are forgotten (the address's are not). */
  clearAccount(emailNormalized: string): Promise<void>;
  /** Registrations use the same log under `register:` + address. */
  checkRegistration(address: string): Promise<ThrottleDecision>;
  recordRegistration(address: string): Promise<void>;
  /** Deletes failures older than the window. */
  prune(): Promise<number>;
}

export const accountKey = (emailNormalized: string): string => `account:${sha256(emailNormalized).toString('hex')}`;
export const addressKey = (address: string): string => `address:${address}`;
export const registrationKey = (address: string): string => `register:${address}`;

export function createLoginThrottle(db: Db, limits: ThrottleLimits): LoginThrottle {
  const windowMs = limits.windowS * 1000;
  const decide = async (key: string, limit: number): Promise<ThrottleDecision> => {
    const rows = await db.query<{ count: string; oldest: Date | null; now: Date }>(
      `SELECT count(*) AS count, min(at) AS oldest, clock_timestamp() AS now FROM (
         SELECT at FROM login_failures WHERE throttle_key = $1 AND at > clock_timestamp() - make_interval(secs => $2)
          ORDER BY at DESC LIMIT $3) recent`,
      [key, limits.windowS, limit],
    );
    const row = rows[0];
    if (row === undefined) return { throttled: false };
    // The database clock for both ends, so replicas with skewed clocks agree.
    return decideThrottle({ count: Number(row.count), oldestAtMs: row.oldest?.getTime() }, limit, windowMs, row.now.getTime());
  };
  return {
    async check(attempt) {
      return strictest([
        await decide(accountKey(attempt.emailNormalized), limits.maxFailuresPerAccount),
        await decide(addressKey(attempt.address), limits.maxFailuresPerAddress),
      ]);
    },
    async recordFailure(attempt) {
      await db.query('INSERT INTO login_failures (throttle_key) VALUES ($1), ($2)', [
        accountKey(attempt.emailNormalized),
        addressKey(attempt.address),
      ]);
    },
    checkRegistration: (address) => decide(registrationKey(address), limits.maxRegistrationsPerAddress),
    async recordRegistration(address) {
      await db.query('INSERT INTO login_failures (throttle_key) VALUES ($1)', [registrationKey(address)]);
    },
    async clearAccount(emailNormalized) {
      await db.query('DELETE FROM login_failures WHERE throttle_key = $1', [accountKey(emailNormalized)]);
    },
    async prune() {
      const rows = await db.query('DELETE FROM login_failures WHERE at < now() - make_interval(secs => $1) RETURNING 1', [limits.windowS]);
      return rows.length;
    },
  };
}
