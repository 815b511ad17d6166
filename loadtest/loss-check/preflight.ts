// What the loss-check CLI verifies before it waits and compares, so that a wrong path, URL or
// database name ends with one line and exit code 2, and an unreachable server with exit code 3
// ("could not check"), never with a stack trace and the 1 of a real FAIL.
import { LedgerFormatError, readProductionLedger, type LedgerEntry } from '../../device-agent/production-ledger.js';
import { postInfluxQuery } from '../../infra/influx-http.js';
import { scrape } from '../lib/prometheus-text.js';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
/** A bad option or configuration: unreadable ledger, not a URL, no such database. */
export const EXIT_USAGE = 2;
/** The check could not run: InfluxDB or a --metrics endpoint unreachable or failing. */
export const EXIT_CANNOT_CHECK = 3;

export class CheckProblem extends Error {
  override readonly name = 'CheckProblem';
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_USAGE | typeof EXIT_CANNOT_CHECK,
  ) {
    super(message);
  }
}

/** The error's message with its cause's code (fetch says only "fetch failed"). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const code = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  return code === undefined ? error.message : `${error.message} (${code})`;
}

/** Why `value` of `--name` is not an http(s) URL, or undefined. */
export function urlProblem(name: string, value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
    return `--${name} must be an http:// or https:// URL, got "${value}"`;
  } catch {
    return `--${name} must be a URL such as http://127.0.0.1:8086, got "${value}"`;
  }
}

export function readLedgers(paths: readonly string[]): LedgerEntry[] {
  return paths.flatMap((path) => {
    try {
      return readProductionLedger(path);
    } catch (error) {
      if (error instanceof LedgerFormatError) throw new CheckProblem(`--ledger: ${error.message}`, EXIT_USAGE);
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file (a fleet writes one only when EM_FLEET_LEDGER_PATH is set)' : describeError(error);
      throw new CheckProblem(`--ledger ${path}: cannot read it: ${why}`, EXIT_USAGE);
    }
  });
}

/** InfluxDB answers and holds `database`. */
export async function checkInflux(influxUrl: string, database: string): Promise<void> {
  let names: string[];
  try {
    const series = await postInfluxQuery(influxUrl, 'SHOW DATABASES');
    names = series.flatMap((s) => s.values.map((row) => String(row[0])));
  } catch (error) {
    throw new CheckProblem(`could not check: InfluxDB at ${influxUrl}: ${describeError(error)}`, EXIT_CANNOT_CHECK);
  }
  if (!names.includes(database)) {
    const listed = names.length > 10 ? `${names.slice(0, 10).join(', ')}, … ${names.length - 10} more` : names.join(', ') || 'none';
    throw new CheckProblem(`--db ${database}: no such database on ${influxUrl} (it has: ${listed})`, EXIT_USAGE);
  }
}

/** Every --metrics endpoint answers. */
export async function checkMetrics(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    try {
      await scrape(url);
    } catch (error) {
      throw new CheckProblem(`could not check: --metrics ${url}: ${describeError(error)}`, EXIT_CANNOT_CHECK);
    }
  }
}
