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
