// What an agent process does when its outbox's SD card did not confirm a flush within
// EM_AGENT_OUTBOX_FLUSH_TIMEOUT_MS (lib/journal/flush-guard.ts): the outbox seals nothing more, so the
// operator is told (an error line naming the limit and the data folder, a counter) and the process
// stops and exits 1. systemd (Restart=always) or the fleet's supervisor starts it again: the new
// process opens the outbox as LMDB finds it, and if the card still does not answer, its first seal
// times out too, visibly, rather than the agent living on with readings piling up unsealed.
//
// Why nothing acknowledged is lost and no seq is misused: a container is published only once its
// append resolved, i.e. its flush was confirmed (agent-outbox.ts keeps unconfirmed ones out of peek), so
// the container whose flush timed out was never published. If its commit did not reach the disk,
// its seq was never used and the restarted agent takes it again; if it did, the restarted agent
// finds it in the outbox and sends it. Nothing is sealed after the time-out, so no reading goes into
// two containers. What is lost is what is lost on any kill -9 of the agent: the readings sampled
// but not sealed (sampling waits while a seal does, so about one publish interval), and here the
// unconfirmed container's readings if its commit never reached the disk.
// A fleet shares one outbox environment (fleet.ts): the whole fleet process exits 1.
import type { Logger } from '../lib/log.js';
import type { FlushTimeoutError } from '../lib/journal/flush-time-limit.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { OutboxFlushOverdue } from './outbox.js';

export interface OutboxFlushWatchOptions {
  readonly log: Logger;
  readonly metrics: Pick<AgentMetrics, 'outboxFlushTimeouts'>;
  /** The folder holding outbox.mdb: the card to check. */
  readonly dataDir: string;
  /** Told once: the process cannot go on (stop it and exit 1). */
  readonly onUnconfirmed: (error: FlushTimeoutError) => void;
}

/** The outbox's onFlushOverdue. */
export function watchOutboxFlushes(options: OutboxFlushWatchOptions): (overdue: OutboxFlushOverdue) => void {
  let told = false;
  return ({ agentId, seq, timeoutMs, error }) => {
    options.metrics.outboxFlushTimeouts.inc();
    if (told) return;
    told = true;
    options.log.error(
      { agentId, seq, timeoutMs, dataDir: options.dataDir, err: error },
      `the outbox's disk did not confirm a flush in ${timeoutMs} ms (${options.dataDir}): container ${seq} of ${agentId} is not sealed and nothing more will be; ` +
        'stopping and exiting 1 to start again on what is on disk (check the SD card: dmesg, its free space, its health)',
    );
    options.onUnconfirmed(error);
  };
}
