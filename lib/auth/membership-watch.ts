// Keeps the households of token subjects current while something of theirs stays open: the
// broker's member connections (broker/member-households.ts) and the read service's live streams
// (services/read/live/membership-recheck.ts). Access is granted once, at CONNECT or when a stream
// opens; a member removed since (an ex-partner, a tenant who moved out) must not keep receiving.
// Each caller keeps only its reaction to an answer (`onHouseholds`); the asking is here.
//
// Each watched subject has its own timer: once per interval its households are asked of the
// directory, once however many connections or streams it has open, and the timer is re-armed only
// after that poll settled, so a slow database never has two polls of one subject in flight. The
// first wait is random within the interval and later ones are shortened by up to a fifth at random,
// so subjects watched together (a restart, every client reconnecting) spread their lookups over the
// interval instead of arriving at once; no wait is longer than the interval, which is what the
// documented cut-off bounds rely on. A poll that fails keeps the last answer (the next poll
// decides) and is logged once per run of failures, not per subject or per poll. A caller may also
// ask at once (lookUp: the broker at CONNECT); answers are applied in the order their questions were
// asked, so a slow answer to an older question never undoes a newer one.
import type { Logger } from '../log.js';
import type { MembershipDirectory } from './directory.js';

export interface MembershipWatchOptions {
  readonly memberships: MembershipDirectory;
  readonly intervalMs: number;
  /**
   * The subject's households, each answer newer than the last one applied. `askedAt` places its
   * question among the caller's own events (`mark()`): what the caller granted after it was asked,
   * the answer cannot know.
   */
  readonly onHouseholds: (subject: string, households: ReadonlySet<string>, askedAt: number) => void;
  readonly log: Pick<Logger, 'warn' | 'info'>;
  /** Logged when polls start failing (with the error) and when they work again. */
  readonly messages: { readonly failing: string; readonly working: string };
  /** [0, 1), for the jitter (tests). */
  readonly random?: () => number;
}

export interface MembershipWatch {
  /** Polls `subject`'s households until every function returned for it has been called. */
  watch(subject: string): () => void;
  /**
   * Asks for a watched subject's households now, besides its polls, and resolves once the answer
   * was applied; rejects when the directory fails (the caller decides: the broker refuses the
   * CONNECT). The subject's next poll comes one interval after this answer.
   */
  lookUp(subject: string): Promise<void>;
  /** Polls every watched subject now (joining a poll under way); resolves when all settled. */
  pollAll(): Promise<void>;
  /** Subjects being watched. */
  subjects(): number;
  /**
   * A number that orders this moment among the questions asked (a logical clock, exact where
   * timestamps tie): mark a grant with it, and compare with the `askedAt` of later answers.
   */
  mark(): number;
  /** No more polls; lookUp still works. */
  stop(): void;
}

interface Entry {
  watchers: number;
  timer?: NodeJS.Timeout;
  /** The poll under way: at most one per subject. */
  polling?: Promise<void>;
  /** Questions asked so far, and the number of the one whose answer was applied last. */
  asked: number;
  applied: number;
}

/** Later waits are the interval shortened by up to this share. */
const JITTER = 0.2;

export function createMembershipWatch(options: MembershipWatchOptions): MembershipWatch {
  const random = options.random ?? Math.random;
  const entries = new Map<string, Entry>();
  let failing = false;
  let stopped = false;
  let ticks = 0;

  const isCurrent = (subject: string, entry: Entry): boolean => entries.get(subject) === entry;

  /** Asks the directory; returns the function that applies the answer, unless a newer one was applied first. */
  const ask = async (subject: string, entry: Entry): Promise<() => void> => {
    const question = ++entry.asked;
    const askedAt = ++ticks;
    const households: ReadonlySet<string> = new Set(await options.memberships.householdsOf(subject));
    return () => {
      if (!isCurrent(subject, entry) || question < entry.applied) return;
      entry.applied = question;
      options.onHouseholds(subject, households, askedAt);
    };
  };

  const schedule = (subject: string, entry: Entry, delayMs: number): void => {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (stopped || !isCurrent(subject, entry)) return;
    entry.timer = setTimeout(() => void poll(subject, entry), delayMs);
    entry.timer.unref();
  };
  const nextPoll = (subject: string, entry: Entry): void => schedule(subject, entry, options.intervalMs * (1 - JITTER * random()));

  const pollOnce = async (subject: string, entry: Entry): Promise<void> => {
    let apply: () => void;
    try {
      apply = await ask(subject, entry);
    } catch (err) {
      if (!failing) options.log.warn({ err }, options.messages.failing);
      failing = true;
      return;
    }
    if (failing) options.log.info(options.messages.working);
    failing = false;
    try {
      apply();
    } catch (err) {
      options.log.warn({ err }, 'acting on a membership change failed');
    }
  };
  const poll = (subject: string, entry: Entry): Promise<void> => {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.polling ??= pollOnce(subject, entry).finally(() => {
      entry.polling = undefined;
      nextPoll(subject, entry);
    });
    return entry.polling;
  };

  return {
    watch(subject) {
      let entry = entries.get(subject);
      if (entry === undefined) {
        entry = { watchers: 0, asked: 0, applied: 0 };
        entries.set(subject, entry);
        schedule(subject, entry, options.intervalMs * (1 - random()));
      }
      entry.watchers += 1;
      const watched = entry;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        watched.watchers -= 1;
        if (watched.watchers > 0) return;
        clearTimeout(watched.timer);
        if (isCurrent(subject, watched)) entries.delete(subject);
      };
    },
    async lookUp(subject) {
      const entry = entries.get(subject);
      if (entry === undefined) throw new Error(`membership lookUp of a subject not watched: ${subject}`);
      (await ask(subject, entry))();
      // A poll under way re-arms the timer when it settles.
      if (entry.polling === undefined) nextPoll(subject, entry);
    },
    pollAll: async () => {
      await Promise.all([...entries].map(([subject, entry]) => poll(subject, entry)));
    },
    subjects: () => entries.size,
    mark: () => ++ticks,
    stop() {
      stopped = true;
      for (const entry of entries.values()) clearTimeout(entry.timer);
    },
  };
}
