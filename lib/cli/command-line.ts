// Command lines of our tools (benchmarks, infra and operator CLIs): `--help` (or `-h`) prints the
// usage and exits 0; an unknown option or a bad value prints what is wrong and the usage and exits
// 2 (a usage error, as getopt tools do), instead of a stack trace or a run on NaN.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export interface CommandLine<O extends Options> {
  readonly values: Values<O>;
  /** Arguments that are not options (verbs, names); empty unless the tool allows them. */
  readonly positionals: readonly string[];
  /** The string option `--name` as a number within bounds; anything else ends the process with the usage. */
  number(name: keyof O & string, bounds?: NumberBounds): number;
  /** Ends the process with `message` and the usage. */
  fail(message: string): never;
}

/** What is wrong with `raw` as the value of `--name`, or undefined when it is a number within bounds. */
export function numberProblem(name: string, raw: string, bounds: NumberBounds = {}): string | undefined {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = bounds;
  if (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return undefined;
  const range = [min > Number.NEGATIVE_INFINITY ? `≥ ${min}` : '', max < Number.POSITIVE_INFINITY ? `≤ ${max}` : ''].filter((part) => part !== '').join(' and ');
  return `--${name} must be ${integer ? 'an integer' : 'a number'}${range === '' ? '' : ` ${range}`}, got "${raw}"`;
}

export interface CommandLineShape {
  /** The tool takes arguments besides options (e.g. `start`, `stop`). Default false. */
  readonly positionals?: boolean;
  readonly argv?: readonly string[];
}

/** `--help` or `-h` anywhere on the command line (for tools with options and for env-configured services alike). */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * A reader that stops early (`tool | head`) closes the pipe, and the next write fails with EPIPE,
 * an unhandled 'error' event: a stack trace and exit code 1 for output nobody wants any more. End
 * quietly instead, with 0: the reader has what it asked for.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

export function parseCommandLine<const O extends Options>(usage: string, options: O, shape: CommandLineShape = {}): CommandLine<O> {
  // Only a tool reading its own command line owns the process's stdout (tests pass argv).
  if (shape.argv === undefined) endQuietlyWhenStdoutCloses();
  const argv = shape.argv ?? process.argv.slice(2);
  const fail = (message: string): never => {
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  };
  if (asksForHelp(argv)) {
    console.log(usage);
    process.exit(0);
  }
  let parsed: { values: Values<O>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (shape.positionals !== true && positionals.length > 0) fail(`Unexpected argument '${positionals[0]}'`);
  return {
    values,
    positionals,
    fail,
    number(name, bounds) {
      const raw: unknown = (values as Record<string, unknown>)[name];
      if (typeof raw !== 'string') return fail(`--${name} is required`);
      const problem = numberProblem(name, raw, bounds);
      return problem === undefined ? Number(raw) : fail(problem);
    },
  };
}
