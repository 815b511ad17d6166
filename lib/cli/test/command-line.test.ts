import { afterEach, describe, expect, it, vi } from 'vitest';
import { numberProblem, parseCommandLine } from '../command-line.js';

const USAGE = 'usage: bench [--rate N] [--quiet]';
const OPTIONS = { rate: { type: 'string', default: '10' }, quiet: { type: 'boolean', default: false } } as const;

class Exit extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`exit ${String(code)}`);
  }
}

/** Runs `run` with process.exit turned into a thrown Exit, and stdout/stderr captured. */
function capture(run: () => unknown): { code: number | string | null | undefined; out: string; err: string } {
  let out = '';
  let err = '';
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exit(code);
  });
  vi.spyOn(console, 'log').mockImplementation((text: string) => void (out += text));
  vi.spyOn(console, 'error').mockImplementation((text: string) => void (err += text));
  try {
    run();
    return { code: undefined, out, err };
  } catch (error) {
    if (error instanceof Exit) return { code: error.code, out, err };
    throw error;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('command lines of our tools', () => {
  it('when given --help or -h, then the usage goes to stdout and the process exits 0', () => {
    for (const flag of ['--help', '-h']) expect(capture(() => parseCommandLine(USAGE, OPTIONS, { argv: ['--rate', '5', flag] }))).toEqual({ code: 0, out: USAGE, err: '' });
  });

  it('when an option is unknown or misses its value, then it is named with the usage on stderr and the process exits 2', () => {
    const unknown = capture(() => parseCommandLine(USAGE, OPTIONS, { argv: ['--rat', '5'] }));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown option '--rat'[\s\S]*usage: bench/);
    expect(capture(() => parseCommandLine(USAGE, OPTIONS, { argv: ['--rate'] })).code).toBe(2);
    expect(capture(() => parseCommandLine(USAGE, OPTIONS, { argv: ['extra'] })).code).toBe(2);
    expect(parseCommandLine(USAGE, OPTIONS, { argv: ['start', '--quiet', 'all'], positionals: true }).positionals).toEqual(['start', 'all']);
  });

  it('when options are good, then their values come back, defaults filled in', () => {
    const cli = parseCommandLine(USAGE, OPTIONS, { argv: ['--quiet'] });
    expect(cli.values).toEqual({ rate: '10', quiet: true });
    expect(cli.number('rate', { min: 1, integer: true })).toBe(10);
  });

  it('when a number is out of bounds or not a number, then the process exits 2 naming the option', () => {
    const cli = capture(() => parseCommandLine(USAGE, OPTIONS, { argv: ['--rate', '2.5'] }).number('rate', { min: 1, integer: true }));
    expect(cli.code).toBe(2);
    expect(cli.err).toMatch(/^--rate must be an integer ≥ 1, got "2.5"/);
  });

  it('names what is wrong with a number, and nothing when it is fine', () => {
    expect(numberProblem('rate', '12')).toBeUndefined();
    expect(numberProblem('rate', '0.5', { min: 0, max: 1 })).toBeUndefined();
    expect(numberProblem('rate', '')).toBe('--rate must be a number, got ""');
    expect(numberProblem('rate', 'abc')).toBe('--rate must be a number, got "abc"');
    expect(numberProblem('rate', 'Infinity')).toBe('--rate must be a number, got "Infinity"');
    expect(numberProblem('rate', '0', { min: 1 })).toBe('--rate must be a number ≥ 1, got "0"');
    expect(numberProblem('rate', '7', { max: 5, integer: true })).toBe('--rate must be an integer ≤ 5, got "7"');
    expect(numberProblem('rate', '3.5', { min: 1, max: 5, integer: true })).toBe('--rate must be an integer ≥ 1 and ≤ 5, got "3.5"');
  });
});

describe('a tool whose output is piped into a reader that stops early (`| head`)', () => {
  it('when the reader closes the pipe, then the tool ends with exit code 0 and no EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const fixture = new URL('./fixtures/print-many-lines.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(err).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
