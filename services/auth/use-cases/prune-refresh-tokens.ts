// Refresh tokens are rotated at every refresh: a session kept open refreshes about every
// access-token lifetime (10 minutes by default), and each rotation leaves a used row, kept while it
// can still be presented (reuse detection revokes the family of a used token shown again). Once a
// token is over (expired, or its session past EM_AUTH_SESSION_MAX_AGE_S) it is answered as an
// unknown one would be, so it is deleted: without this the table only grew, by about 144 rows a
// day for every open session. Run by app.ts's periodic prune.
import type { AuthContext } from '../auth-context.js';
import { deleteExpiredRefreshTokens, deleteRefreshTokensOfSessionsOver } from '../data/refresh-tokens-repository.js';
import { deleteInBatches, type PruneOptions } from './prune-in-batches.js';

/**
 * A token is deleted this long after it is over, not at once: `now` is this process's clock and
 * expiry is PostgreSQL's, and a skew between the two must not end a session early.
 */
export const REFRESH_TOKEN_PRUNE_GRACE_MS = 60 * 60_000;

/**
 * Deletes the refresh tokens over for more than the grace before `now` and counts them: the expired
 * ones, then those of sessions past their maximum age, in batches (prune-in-batches.ts). Once
 * stopping, the second kind waits for the next pass.
 */
export async function pruneRefreshTokens(ctx: Pick<AuthContext, 'db' | 'config' | 'metrics' | 'log'>, now: Date, options: PruneOptions = {}): Promise<number> {
  const cutoff = new Date(now.getTime() - REFRESH_TOKEN_PRUNE_GRACE_MS);
  const pruned = ctx.metrics.refreshTokensPruned;
  let deleted = await deleteInBatches((maxRows) => deleteExpiredRefreshTokens(ctx.db, cutoff, maxRows), pruned, options);
  if (options.signal?.aborted !== true) {
    deleted += await deleteInBatches((maxRows) => deleteRefreshTokensOfSessionsOver(ctx.db, cutoff, ctx.config.sessionMaxAgeS, maxRows), pruned, options);
  }
  if (deleted > 0) ctx.log.info({ deleted, overBefore: cutoff.toISOString() }, 'refresh tokens past their use pruned');
  return deleted;
}
