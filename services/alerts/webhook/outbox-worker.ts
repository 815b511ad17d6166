// Delivers the outbox: polls for due events, sends up to `concurrency` at once (a slow receiver
// holds one slot for at most the timeout), records each outcome. Never throws into the evaluator:
// PostgreSQL being down just means the next poll tries again.
import type { Logger } from '../../../lib/log.js';
import type { OutboxEvent, OutboxRepository } from '../data/outbox-repository.js';
import type { AlertsMetrics } from '../metrics.js';
import { backoffMs, deliverWebhook } from './deliver.js';

export interface OutboxWorkerOptions {
  readonly outbox: OutboxRepository;
  readonly log: Logger;
  readonly metrics: AlertsMetrics;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly pollMs: number;
  readonly concurrency: number;
  readonly retentionMs: number;
  readonly allowPrivate: boolean;
  readonly now: () => number;
}

const PURGE_EVERY_MS = 600_000;

export interface OutboxWorker {
  start(): void;
  /** Runs one poll now (tests; also after an alert is recorded, so events leave at once). */
  kick(): void;
  stop(): Promise<void>;
}

export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let purgedAtMs = 0;

  const send = async (event: OutboxEvent): Promise<void> => {
    if (event.url === undefined || event.secret === undefined || !event.enabled) {
      await o.outbox.giveUp(event.eventId, undefined, 'the webhook was removed or disabled');
      o.metrics.delivery('dropped');
      return;
    }
    const outcome = await deliverWebhook({ url: event.url, secret: event.secret, eventId: event.eventId, body: event.body, nowMs: o.now(), timeoutMs: o.timeoutMs, allowPrivate: o.allowPrivate });
    if (outcome.ok) {
      await o.outbox.delivered(event.eventId, outcome.status);
      o.metrics.delivery('delivered');
      return;
    }
    const attempt = event.attempts + 1;
    if (outcome.permanent || attempt >= o.maxAttempts) {
      await o.outbox.giveUp(event.eventId, outcome.status, outcome.error);
      o.metrics.delivery('failed');
      o.log.warn({ eventId: event.eventId, householdId: event.householdId, attempt, error: outcome.error }, 'webhook delivery given up');
      return;
    }
    await o.outbox.retryLater(event.eventId, backoffMs(attempt, o.backoffMs, o.maxBackoffMs), outcome.status, outcome.error);
    o.metrics.delivery('retried');
    o.log.info({ eventId: event.eventId, householdId: event.householdId, attempt, error: outcome.error }, 'webhook delivery failed; will retry');
  };

  const poll = async (): Promise<void> => {
    do {
      again = false;
      try {
        // The lease outlasts a delivery, so no other replica picks the event up meanwhile.
        const due = await o.outbox.claimDue(o.concurrency, o.timeoutMs * 2 + 5_000);
        await Promise.all(due.map((event) => send(event).catch((err: unknown) => o.log.warn({ err, eventId: event.eventId }, 'webhook outcome not recorded'))));
        if (due.length === o.concurrency) again = true;
        o.metrics.outboxDepth(await o.outbox.depth());
        if (Date.now() - purgedAtMs > PURGE_EVERY_MS) {
          purgedAtMs = Date.now();
          await o.outbox.purge(o.retentionMs);
        }
      } catch (err) {
        o.log.warn({ err }, 'webhook outbox poll failed');
      }
    } while (again && !stopped);
  };

  const kick = (): void => {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = poll().finally(() => {
      running = undefined;
    });
  };

  return {
    start() {
      timer = setInterval(kick, o.pollMs);
      timer.unref();
      kick();
    },
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
