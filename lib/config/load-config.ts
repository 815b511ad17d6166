// Config is validated once at start, then typed and frozen. A bad value stops the process with a
// message naming every offending variable, instead of failing later on the hot path.
import { z } from 'zod';
import { asksForHelp } from '../cli/command-line.js';

export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * `--help` (or `-h`) given to a process configured from its environment: not an error, but the
 * process has nothing to do beyond listing its variables (report-config-errors.ts prints this on
 * stdout and exits 0).
 */
export class ConfigHelpRequested extends ConfigError {
  override readonly name = 'ConfigHelpRequested';
}

/** The variables a config schema reads, one per line: name, then its default, choices or "required". */
export function describeConfig(schema: z.ZodType): string {
  const object = schema instanceof z.ZodPipe ? schema.in : schema;
  if (!(object instanceof z.ZodObject)) return '';
  const lines = Object.entries(object.shape as Record<string, z.ZodType>).map(([name, declared]) => {
    // A default checked and converted afterwards (`.default('30d').transform(…)`) is a pipe whose input holds the default.
    let field = declared;
    while (field instanceof z.ZodPipe && !(field.in instanceof z.ZodString)) field = field.in as z.ZodType;
    const wrapped = field instanceof z.ZodDefault || field instanceof z.ZodOptional ? (field.def.innerType as z.ZodType) : field;
    // A normalised value (e.g. trimmed, lower-cased, then an enum) names its choices at the end.
    const inner = wrapped instanceof z.ZodPipe ? (wrapped.out as z.ZodType) : wrapped;
    const choices = inner instanceof z.ZodEnum ? ` (${inner.options.join(' | ')})` : '';
    const status =
      field instanceof z.ZodDefault ? `default ${JSON.stringify(field.def.defaultValue)}` : field instanceof z.ZodOptional ? 'optional' : 'required';
    return `  ${name.padEnd(34)} ${status}${choices}`;
  });
  return lines.join('\n');
}

export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<z.infer<S>> {
  // Only a process reading its own environment answers --help; tests pass their own objects.
  if (source === process.env && asksForHelp(process.argv.slice(2))) {
    throw new ConfigHelpRequested(`configured by environment variables (no command-line options):\n${describeConfig(schema)}`);
  }
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return deepFreeze(parsed.data);
}

/** A TCP port from an env var; 0 means "pick a free one" (tests). */
export const portSchema = z.coerce.number().int().min(0).max(65535);
/**
 * The address a service listens on, loopback unless set. Not empty: Node listens on every
 * interface for an empty host, which would expose ports meant for this machine only.
 */
export const hostSchema = z.string().min(1, 'must not be empty: Node would listen on every interface').default('127.0.0.1');
export const positiveInt = z.coerce.number().int().positive();
/** Node's timers wait at most 2^31 − 1 ms (about 24.8 days); a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const TIMER_LIMIT = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days): Node timers cannot wait longer`;
/** A duration waited for with a timer. */
export const timerMsSchema = positiveInt.max(MAX_TIMER_MS, TIMER_LIMIT);
/** A duration waited for with a timer, where 0 means "do not wait". */
export const timerOrZeroMsSchema = z.coerce.number().int().min(0).max(MAX_TIMER_MS, TIMER_LIMIT);
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
