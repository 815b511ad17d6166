// Failed-login (and registration) bookkeeping in PostgreSQL (table login_failures), so throttling survives restarts
// and holds across replicas. Keys never contain the email itself: `account:` + SHA-256 of the
// normalised email (unknown emails are throttled exactly like known ones: no enumeration), and
// `address:` + the client address (an IPv6 client's /64: domain/client-address.ts).
//
// An attempt is counted before its password is checked: one transaction takes a per-key advisory
// lock, counts, and inserts the attempt's rows only when there is room. Two concurrent attempts
// cannot both see the last free place, so no concurrency overshoots a limit (ASVS V2.2.1); an
// attempt whose password was right is taken back (release).
import { throttleAddress } from '../../../lib/http/throttle-address.js';
import { decideThrottle, strictest, type ThrottleDecision } from '../domain/throttle-window.js';
import { sha256 } from '../domain/secrets.js';
import type { Db, Queryable } from './db.js';

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

/** The rows an attempt was counted with; they stay as its failure unless released. */
export interface ReservedAttempt {
  readonly throttled: false;
  readonly failureIds: readonly string[];
}

export type AttemptDecision = Exclude<ThrottleDecision, { throttled: false }> | ReservedAttempt;

export interface LoginThrottle {
  /** Throttled, or the attempt is counted as a failure of its account and address from now on. */
  reserveAttempt(attempt: LoginAttempt): Promise<AttemptDecision>;
  /** The password was right: the reserved attempt is not a failure. */
  release(reserved: ReservedAttempt): Promise<void>;
  /** After a successful login the account's failures are forgotten (the address's are not). */
  clearAccount(emailNormalized: string): Promise<void>;
  /** Registrations use the same log under `register:` + address; when not throttled, this one is counted. */
  reserveRegistration(address: string): Promise<ThrottleDecision>;
  /** Deletes failures older than the window. */
  prune(): Promise<number>;
}

export const accountKey = (emailNormalized: string): string => `account:${sha256(emailNormalized).toString('hex')}`;
export const addressKey = (address: string): string => `address:${throttleAddress(address)}`;
export const registrationKey = (address: string): string => `register:${throttleAddress(address)}`;

interface Limit {
  readonly key: string;
  readonly max: number;
}

/** Per-key transaction locks, taken in one order (sorted) so that two attempts never deadlock. */
async function lockKeys(tx: Queryable, keys: readonly string[]): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered', [keys]);
}

export function createLoginThrottle(db: Db, limits: ThrottleLimits): LoginThrottle {
  const windowMs = limits.windowS * 1000;
  const decide = async (tx: Queryable, { key, max }: Limit): Promise<ThrottleDecision> => {
    const rows = await tx.query<{ count: string; oldest: Date | null; now: Date }>(
      `SELECT count(*) AS count, min(at) AS oldest, clock_timestamp() AS now FROM (
         SELECT at FROM login_failures WHERE throttle_key = $1 AND at > clock_timestamp() - make_interval(secs => $2)
          ORDER BY at DESC LIMIT $3) recent`,
      [key, limits.windowS, max],
    );
    const row = rows[0];
    if (row === undefined) return { throttled: false };
    // The database clock for both ends, so replicas with skewed clocks agree.
    return decideThrottle({ count: Number(row.count), oldestAtMs: row.oldest?.getTime() }, max, windowMs, row.now.getTime());
  };
  const reserve = (keyLimits: readonly Limit[]): Promise<AttemptDecision> =>
    db.transaction(async (tx) => {
      const keys = keyLimits.map((l) => l.key);
      await lockKeys(tx, keys);
      const decisions: ThrottleDecision[] = [];
      for (const limit of keyLimits) decisions.push(await decide(tx, limit));
      const decision = strictest(decisions);
      if (decision.throttled) return decision;
      const rows = await tx.query<{ id: string }>('INSERT INTO login_failures (throttle_key) SELECT unnest($1::text[]) RETURNING id', [keys]);
      return { throttled: false, failureIds: rows.map((r) => r.id) };
    });
  return {
    reserveAttempt: (attempt) =>
      reserve([
        { key: accountKey(attempt.emailNormalized), max: limits.maxFailuresPerAccount },
        { key: addressKey(attempt.address), max: limits.maxFailuresPerAddress },
      ]),
    async release(reserved) {
      await db.query('DELETE FROM login_failures WHERE id = ANY($1::bigint[])', [reserved.failureIds]);
    },
    async reserveRegistration(address) {
      const decision = await reserve([{ key: registrationKey(address), max: limits.maxRegistrationsPerAddress }]);
      return decision.throttled ? decision : { throttled: false };
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
