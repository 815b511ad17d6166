// The periodic prune of rows past their use: old login failures, long-closed invitations, refresh
// tokens over, audit records past their retention. app.ts starts it once the service listens and
// stops it before closing the pool. Each table is pruned on its own, so one failing does not keep
// the others' rows; a failure (the database away) is logged and the next pass runs as usual. The
// next pass is timed from the end of the last one, so passes never pile up behind a slow database.
import type { AuthContext } from './auth-context.js';
import { pruneAuditLog } from './use-cases/prune-audit-log.js';
import { pruneClosedInvitations } from './use-cases/prune-invitations.js';
import { pruneRefreshTokens } from './use-cases/prune-refresh-tokens.js';

export interface PruneSchedule {
  /** No pass starts after this; resolves once the pass under way, if any, has ended. */
  stop(): Promise<void>;
}

/** One pass; never rejects. `stopping` ends the batches of invitations, refresh tokens and audit records early (they may be many). */
async function pruneOldRows(ctx: AuthContext, stopping: AbortSignal): Promise<void> {
  const now = new Date();
  await Promise.all([
    ctx.throttle.prune().catch((err: unknown) => ctx.log.warn({ err }, 'could not prune old login failures')),
    pruneClosedInvitations(ctx, now, { signal: stopping }).catch((err: unknown) => ctx.log.warn({ err }, 'could not prune closed invitations')),
    pruneRefreshTokens(ctx, now, { signal: stopping }).catch((err: unknown) => ctx.log.warn({ err }, 'could not prune refresh tokens past their use')),
    pruneAuditLog(ctx, now, { signal: stopping }).catch((err: unknown) => ctx.log.warn({ err }, 'could not prune audit records past their retention')),
  ]);
}

/** First pass `intervalMs` from now. The timer is unref'd: it never keeps the process alive by itself. */
export function startPruneSchedule(ctx: AuthContext, intervalMs: number): PruneSchedule {
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const stopping = new AbortController();
  const scheduleNext = (): void => {
    timer = setTimeout(() => {
      pass = pruneOldRows(ctx, stopping.signal).finally(() => {
        if (!stopping.signal.aborted) scheduleNext();
      });
    }, intervalMs).unref();
  };
  scheduleNext();
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await pass;
    },
  };
}
