// Replays the write service's dead letters into InfluxDB once their cause is fixed (a field type
// conflict resolved, a retention policy lengthened): a reading InfluxDB refused is kept only in its
// letter (docs/dead-letters.md), and this is how it reaches InfluxDB after all. The store is only
// read: each letter stays as the record of the refusal, and replaying it again writes the same
// point (same series and timestamp) over itself, so a replay is harmless to repeat.
import type { DeadLetter } from '../../lib/dead-letter/dead-letter-store.js';
import { isInfluxRefusal } from './dead-letter-reasons.js';
import type { InfluxWriter, WriteOutcome } from './influx-writer.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export type ReplayOutcome = { readonly kind: 'stored' } | { readonly kind: 'refused'; readonly message: string } | { readonly kind: 'skipped'; readonly why: string };

export interface LetterReplay {
  readonly letter: DeadLetter;
  readonly outcome: ReplayOutcome;
}

/** InfluxDB could not take any write (down, database missing, auth): the replay stopped. */
export class ReplayInterrupted extends Error {
  override readonly name = 'ReplayInterrupted';
  constructor(
    message: string,
    /** The letters settled before it stopped. */
    readonly done: readonly LetterReplay[],
  ) {
    super(message);
  }
}

/** Why a letter cannot be replayed as it is kept, or its line. */
export function replayableLine(letter: DeadLetter): { line: string } | { why: string } {
  if (letter.source !== 'write' || !isInfluxRefusal(letter.reason)) return { why: `a ${letter.source} letter (${letter.reason}) holds no line InfluxDB refused` };
  // Only a prefix of a line over the store's payload limit was kept: the point itself is lost.
  if (letter.payloadTruncated) return { why: `only ${letter.payload.byteLength} of its ${letter.payloadBytes} bytes were kept` };
  try {
    return { line: decoder.decode(letter.payload) };
  } catch {
    return { why: 'its payload is not UTF-8 text' };
  }
}

/**
 * Writes the letters' lines to InfluxDB, `batchLines` per request; a refused request is tried line
 * by line, so that each letter learns whether it is stored or why it is still refused. Outcomes
 * come back in the letters' order.
 */
export async function replayDeadLetters(letters: readonly DeadLetter[], writer: InfluxWriter, batchLines = 1000): Promise<LetterReplay[]> {
  const outcomes = new Map<DeadLetter, ReplayOutcome>();
  const pending: { letter: DeadLetter; line: string }[] = [];
  for (const letter of letters) {
    const found = replayableLine(letter);
    if ('why' in found) outcomes.set(letter, { kind: 'skipped', why: found.why });
    else pending.push({ letter, line: found.line });
  }
  const settled = (): LetterReplay[] => letters.filter((letter) => outcomes.has(letter)).map((letter) => ({ letter, outcome: outcomes.get(letter)! }));
  for (let start = 0; start < pending.length; start += batchLines) {
    const batch = pending.slice(start, start + batchLines);
    const answer = outcomeOf(await writer.writeBatch(batch.map(({ line }) => line).join('\n')), settled);
    if (answer.kind === 'stored') {
      for (const { letter } of batch) outcomes.set(letter, answer);
      continue;
    }
    // InfluxDB names only the first refused point of a request; the others were written (a partial
    // write) and are written again here, over themselves.
    for (const { letter, line } of batch) outcomes.set(letter, outcomeOf(await writer.writeBatch(line), settled));
  }
  return settled();
}

/** What InfluxDB's answer means for the lines it was given; an answer that takes no write stops the replay. */
function outcomeOf(answer: WriteOutcome, settled: () => readonly LetterReplay[]): ReplayOutcome {
  if (answer.kind === 'ok') return { kind: 'stored' };
  if (answer.kind === 'rejected' || answer.kind === 'tooLarge') return { kind: 'refused', message: answer.message };
  throw new ReplayInterrupted(`InfluxDB took no write (${answer.kind}): ${answer.message}`, settled());
}
