// A journal entry that cannot become lines (journal-entry-lines.ts): into the dead-letter store,
// then out of the journal, so the write loop (journal-consumer.ts) does not peek it again forever.
import type { JournalEntry, JournalKey } from '../../lib/journal/container-journal.js';
import type { JournalConsumerDeps } from './journal-consumer.js';
import { correlationIdOfContainer, type EntryRefusal } from './journal-entry-lines.js';

/** The broker validated every container, so this should never happen; it must not wedge us. */
export async function deadLetterEntry(
  entry: JournalEntry,
  { reason, detail }: EntryRefusal,
  deps: Pick<JournalConsumerDeps, 'deadLetters' | 'metrics' | 'log'>,
  removeStored: (keys: readonly JournalKey[]) => Promise<void>,
): Promise<void> {
  const correlationId = reason === 'decode' ? undefined : correlationIdOfContainer(entry.container);
  await deps.deadLetters.record({ source: 'write', reason, detail, ...(correlationId === undefined ? {} : { correlationId }), payload: entry.container });
  await removeStored([entry.key]);
  deps.metrics.deadLetters.inc({ reason });
  deps.log.error({ key: entry.key, reason, detail }, 'journal entry dead-lettered');
}
