// What the operator's dead-letter tools (dead-letters-cli.ts, the write service's replay) share:
// the --since option, and reading a store's letters, where a missing store ends the tool.
import type { DeadLetter } from './dead-letter-store.js';
import { DeadLetterStoreNotFound, openDeadLetterReader, type LetterFilter } from './dead-letter-reader.js';

/** --since as epoch ms (undefined when not given); anything but an ISO time is a usage error. */
export function sinceOption(since: string | undefined, fail: (message: string) => never): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  return Number.isNaN(ms) ? fail(`--since must be an ISO time, got "${since}"`) : ms;
}

/** The store's matching letters, oldest first; a path without a store says so and exits 1. */
export async function lettersOrExit(tool: string, path: string, filter: LetterFilter): Promise<DeadLetter[]> {
  let reader;
  try {
    reader = openDeadLetterReader(path);
  } catch (error) {
    if (!(error instanceof DeadLetterStoreNotFound)) throw error;
    console.error(`${tool}: ${error.message}`);
    process.exit(1);
  }
  const letters = reader.letters(filter);
  await reader.close();
  return letters;
}
