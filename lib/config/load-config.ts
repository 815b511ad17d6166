// Config is validated once at start, then typed and frozen. A bad value stops the process with a
// message naming every offending variable, instead of failing later on the hot path.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<z.infer<S>> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return deepFreeze(parsed.data);
}

/** A TCP port from an env var; 0 means "pick a free one" (tests). */
export const portSchema = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
