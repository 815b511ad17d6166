// Structured JSON logs (pino) on stdout; one logger per process, named for the process.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.EM_LOG_LEVEL ?? 'info', base: { pid: process.pid, name } });
}

/** A logger that drops everything (unit tests, embedded use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * The correlation id of one reading container, the same in every process that handles it:
 * "<householdId>/<agentId>/<seq>" (an agent never reuses a seq). Grep the logs for it to follow a
 * container from the broker's journal append through the write batch to InfluxDB's 204 or a
 * dead letter. Those per-container lines are logged at debug (EM_LOG_LEVEL=debug).
 */
export function containerCorrelationId(container: { readonly householdId: string; readonly agentId: string; readonly seq: number }): string {
  return `${container.householdId}/${container.agentId}/${container.seq}`;
}

/**
 * A client-chosen string (MQTT client id, username, topic, filter: each up to 65,535 bytes) cut
 * to `maxChars` for a log line, with its length, so a stranger cannot fill the disk through the
 * log of a refusal.
 */
export function clipForLog(text: string, maxChars = 200): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… (${text.length} chars)`;
}
