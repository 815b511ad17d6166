// Gets a batch of lines into InfluxDB, whatever it answers, without ever wedging:
// - retryable (5xx, network, timeout): the same body again after an exponential backoff;
// - 404: CREATE DATABASE (idempotent), then again;
// - 400/422: bisect until the lines InfluxDB refuses are alone; each goes to the dead-letter store;
// - 413: split in halves (a single line too large is dead-lettered).
// Re-sending lines InfluxDB already took (1.x writes the good points of a refused batch, `partial
// write`) is harmless: same series and timestamp overwrite the same fields.
import type { DeadLetterStore } from '../../lib/dead-letter/dead-letter-store.js';
import type { Logger } from '../../lib/log.js';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { refusalReason } from './dead-letter-reasons.js';
import type { Clock } from './clock.js';
import type { InfluxWriter, WriteOutcome } from './influx-writer.js';
import type { WriteMetrics } from './metrics.js';

export interface DeliveryDeps {
  readonly writer: InfluxWriter;
  readonly deadLetters: Pick<DeadLetterStore, 'record'>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: BackoffOptions;
  readonly metrics: WriteMetrics;
  readonly log: Logger;
  /** Aborted on stop: no new request starts and backoff sleeps end; the batch then replays later. */
  readonly stopSignal: AbortSignal;
  /** The correlation id of the container a line came from, for the dead-letter log line. */
  readonly correlationIdOf?: (line: string) => string | undefined;
}

type Refusal = Extract<WriteOutcome, { kind: 'rejected' | 'tooLarge' }>;

const encoder = new TextEncoder();

/**
 * Resolves true once every line is either stored (204) or dead-lettered, false if abandoned
 * because the service is stopping (nothing was lost: the journal still holds the batch).
 */
async function deliverLines(lines: readonly string[], deps: DeliveryDeps): Promise<boolean> {
  return deliverBody(lines.join('\n'), lines.length, () => lines, deps);
}

/**
 * The same for a body already joined (`lineCount` lines): `lines()` splits it again only when
 * InfluxDB refuses something and the batch must be bisected.
 */
export async function deliverBody(body: string | Uint8Array, lineCount: number, lines: () => readonly string[], deps: DeliveryDeps): Promise<boolean> {
  const outcome = await writeUntilSettled(body, lineCount, deps);
  if (outcome === undefined) return false;
  if (outcome.kind === 'ok') {
    deps.metrics.pointsWritten.inc(lineCount);
    return true;
  }
  return settleRefusal(lines(), outcome, deps);
}

/** A refused batch: a single line goes to the dead letters, more are split in halves and sent again. */
async function settleRefusal(lines: readonly string[], outcome: Refusal, deps: DeliveryDeps): Promise<boolean> {
  if (lines.length === 1) {
    await deadLetter(lines[0] ?? '', outcome, deps);
    return true;
  }
  // Halves are sent one after the other: a bad line costs about 2·log2(batch) small requests.
  const middle = Math.ceil(lines.length / 2);
  if (!(await deliverLines(lines.slice(0, middle), deps))) return false;
  return deliverLines(lines.slice(middle), deps);
}

/** Posts until InfluxDB gives a final answer (ok, rejected, tooLarge); undefined when stopping. */
async function writeUntilSettled(
  body: string | Uint8Array,
  lineCount: number,
  deps: DeliveryDeps,
): Promise<Extract<WriteOutcome, { kind: 'ok' }> | Refusal | undefined> {
  let createdDatabase = false;
  for (let attempt = 0; ; attempt++) {
    if (deps.stopSignal.aborted) return undefined;
    const outcome = await timedWrite(body, deps);
    if (outcome.kind === 'ok' || outcome.kind === 'rejected' || outcome.kind === 'tooLarge') return outcome;
    if (outcome.kind === 'databaseMissing' && !createdDatabase) {
      createdDatabase = await createDatabase(deps);
      // Created just now: write again at once; otherwise fall through to the backoff.
      if (createdDatabase) continue;
    }
    if (deps.stopSignal.aborted) return undefined;
    const delayMs = backoffDelayMs(attempt, deps.backoff, deps.random);
    deps.log.warn({ kind: outcome.kind, error: outcome.message, lines: lineCount, attempt, delayMs }, 'write failed, retrying');
    deps.metrics.retries.inc();
    await deps.clock.sleep(delayMs, deps.stopSignal);
  }
}

async function timedWrite(body: string | Uint8Array, deps: DeliveryDeps): Promise<WriteOutcome> {
  const startedMs = deps.clock.nowMs();
  // The stop signal is not passed on: a request under way finishes (bounded by the request
  // timeout) so that a batch InfluxDB took is also removed from the journal.
  const outcome = await deps.writer.writeBatch(body);
  deps.metrics.requestSeconds.observe({ outcome: outcome.kind }, (deps.clock.nowMs() - startedMs) / 1000);
  if (outcome.kind !== 'ok') deps.metrics.influxErrors.inc({ kind: outcome.kind });
  return outcome;
}

async function createDatabase(deps: DeliveryDeps): Promise<boolean> {
  const created = await deps.writer.createDatabase();
  if (created.kind === 'ok') {
    deps.log.info('database was missing: created it');
    return true;
  }
  deps.log.warn({ error: created.message }, 'database is missing and could not be created');
  return false;
}

async function deadLetter(line: string, refusal: Refusal, deps: DeliveryDeps): Promise<void> {
  const reason = refusalReason(refusal.kind === 'tooLarge' ? 413 : refusal.status);
  await deps.deadLetters.record({ source: 'write', reason, detail: refusal.message, payload: encoder.encode(line) });
  deps.metrics.deadLetters.inc({ reason });
  deps.log.warn({ reason, cid: deps.correlationIdOf?.(line), error: refusal.message, line: line.slice(0, 500) }, 'InfluxDB refused a line: dead-lettered');
}
