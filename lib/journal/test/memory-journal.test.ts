import { createMemoryJournal } from '../memory-journal.js';
import { runJournalContract } from './journal-contract.js';

runJournalContract('memory', { open: () => Promise.resolve({ journal: createMemoryJournal() }) });
