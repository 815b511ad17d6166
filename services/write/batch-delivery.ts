// Gets a batch of lines into InfluxDB, whatever it answers, without ever wedging:
// - retryable (5xx, network, timeout): the same body again after an exponential backoff;
// - 404: CREATE DATABASE (idempotent), then again;
// - 400/422: find the lines InfluxDB refuses — from 1.x's `partial write` answer where it tells
//   (partial-write.ts), else by bisecting until they are alone; each goes to the dead-letter store;
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
import { readPartialWrite } from './partial-write.js';

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

/** A line InfluxDB refused, and its answer to the request that held it. */
interface RefusedLine {
  readonly line: string;
  readonly refusal: Refusal;
}

/** How many refused lines a batch's log line names (correlation ids, distinct messages). */
const LOGGED_SAMPLES = 5;

const encoder = new TextEncoder();

/**
 * Resolves true once every line is either stored (204) or dead-lettered, false if abandoned
 * because the service is stopping (nothing was lost: the journal still holds the batch).
 */
export async function deliverBody(body: string | Uint8Array, lineCount: number, lines: () => readonly string[], deps: DeliveryDeps): Promise<boolean> {
  const refused: RefusedLine[] = [];
  if (!(await deliver(body, lineCount, lines, deps, refused))) return false;
  // Only once every line is settled: a stop half-way dead-letters nothing, the batch replays.
  await deadLetterAll(refused, lineCount, deps);
  return true;
}

/**
 * Writes a batch's late-hour marks (late-hour-marks.ts) like its lines; resolves false only when
 * stopping. A refused mark is logged, not dead-lettered: it holds no reading, and the read
 * service's periodic reconciliation finds the hour without it.
 */
export async function deliverMarks(body: string, lineCount: number, deps: DeliveryDeps): Promise<boolean> {
  const outcome = await writeUntilSettled(body, lineCount, deps);
  if (outcome === undefined) return false;
  if (outcome.kind === 'ok') deps.metrics.lateHourMarks.inc(lineCount);
  else deps.log.warn({ kind: outcome.kind, error: outcome.message, marks: lineCount }, 'InfluxDB refused late-hour marks; the rollups catch up at the next reconciliation');
  return true;
}

/**
 * Gets `lineCount` lines to a 204 or into `refused`; `lines()` splits the body again only when
 * InfluxDB refuses something.
 */
async function deliver(body: string | Uint8Array, lineCount: number, lines: () => readonly string[], deps: DeliveryDeps, refused: RefusedLine[]): Promise<boolean> {
  const outcome = await writeUntilSettled(body, lineCount, deps);
  if (outcome === undefined) return false;
  if (outcome.kind === 'ok') {
    deps.metrics.pointsWritten.inc(lineCount);
    return true;
  }
  return settleRefusal(lines(), outcome, deps, refused);
}

function deliverLines(lines: readonly string[], deps: DeliveryDeps, refused: RefusedLine[]): Promise<boolean> {
  return deliver(lines.join('\n'), lines.length, () => lines, deps, refused);
}

/**
 * A refused request: lines InfluxDB certainly refused go to `refused`; otherwise the lines are
 * divided as its answer suggests, or in halves, and each part is sent again. A part sent again
 * confirms the division: what InfluxDB took answers 204 (sending it twice is harmless), what it
 * refuses is refused again, and anything else is divided further.
 */
async function settleRefusal(lines: readonly string[], outcome: Refusal, deps: DeliveryDeps, refused: RefusedLine[]): Promise<boolean> {
  const reading = outcome.kind === 'rejected' ? readPartialWrite(lines, outcome.status, outcome.message) : { kind: 'unknown' as const };
  if (lines.length === 1 || reading.kind === 'allRefused') {
    for (const line of lines) refused.push({ line, refusal: outcome });
    return true;
  }
  // Halves are sent one after the other: a bad line costs about 2·log2(batch) small requests.
  const middle = Math.ceil(lines.length / 2);
  const [first, second] = reading.kind === 'split' ? [reading.refused, reading.rest] : [lines.slice(0, middle), lines.slice(middle)];
  if (!(await deliverLines(first, deps, refused))) return false;
  return deliverLines(second, deps, refused);
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

/** Each refused line to the dead-letter store; one log line for the batch, however many they are. */
async function deadLetterAll(refused: readonly RefusedLine[], lineCount: number, deps: DeliveryDeps): Promise<void> {
  if (refused.length === 0) return;
  const reasons: Record<string, number> = {};
  // Recorded together: the LMDB store commits the puts of one event-loop turn in one transaction.
  await Promise.all(
    refused.map(({ line, refusal }) => {
      const reason = refusalReason(refusal.kind === 'tooLarge' ? 413 : refusal.status);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      const correlationId = deps.correlationIdOf?.(line);
      return deps.deadLetters.record({
        source: 'write',
        reason,
        detail: refusal.message,
        ...(correlationId === undefined ? {} : { correlationId }),
        payload: encoder.encode(line),
      });
    }),
  );
  for (const [reason, count] of Object.entries(reasons)) deps.metrics.deadLetters.inc({ reason }, count);
  const sample = refused.slice(0, LOGGED_SAMPLES);
  deps.log.warn(
    {
      deadLettered: refused.length,
      lines: lineCount,
      reasons,
      errors: [...new Set(refused.map(({ refusal }) => refusal.message))].slice(0, LOGGED_SAMPLES),
      cids: [...new Set(sample.map(({ line }) => deps.correlationIdOf?.(line)))],
      line: sample[0]?.line.slice(0, 500),
    },
    'InfluxDB refused lines of a batch: dead-lettered',
  );
}
