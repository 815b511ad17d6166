// While a live stream is open, its viewer must still be a member of the household: the stream was
// authorised once, when it opened, and a member removed since (an ex-partner, a tenant who moved
// out) would otherwise keep watching. Every `intervalMs` the households of each subject with an
// open stream are asked of the membership directory (PostgreSQL) — once per subject, however many
// streams it has open — and the streams of households no longer among them are ended.
//
// Each subject has its own timer, re-armed only after its lookup settled, so a slow database never
// has two lookups of one subject in flight. The first wait is random within the interval and later
// ones are shortened by up to a fifth at random, so the lookups of many streams opened together (a
// restart, every browser reconnecting) spread over the interval instead of arriving at once; no
// wait is longer than the interval. A lookup that fails keeps the streams open — the next one
// decides — and is logged once per run of failures, not per stream or per lookup.
import type { MembershipDirectory } from '../../../lib/auth/directory.js';
import type { Logger } from '../../../lib/log.js';

export interface RecheckedStream {
  readonly subject: string;
  readonly householdId: string;
  /** Called once, when the subject is no longer a member of the household. */
  end(): void;
}

export interface MembershipRecheckOptions {
  readonly memberships: MembershipDirectory;
  readonly intervalMs: number;
  readonly log: Pick<Logger, 'warn' | 'info'>;
  /** [0, 1), for the jitter (tests). */
  readonly random?: () => number;
}

export interface MembershipRecheck {
  /** Rechecks the stream's membership until the returned function is called or the stream is ended. */
  watch(stream: RecheckedStream): () => void;
  /** Subjects whose streams are being rechecked. */
  subjects(): number;
}

interface Subject {
  readonly streams: Set<RecheckedStream>;
  timer?: NodeJS.Timeout;
}

/** Later waits are the interval shortened by up to this share. */
const JITTER = 0.2;

export function createMembershipRecheck(options: MembershipRecheckOptions): MembershipRecheck {
  const random = options.random ?? Math.random;
  const subjects = new Map<string, Subject>();
  let failing = false;

  const lookup = async (subject: string): Promise<ReadonlySet<string> | undefined> => {
    try {
      const households = new Set(await options.memberships.householdsOf(subject));
      if (failing) options.log.info('membership recheck of live streams works again');
      failing = false;
      return households;
    } catch (err) {
      if (!failing) options.log.warn({ err }, 'membership recheck of live streams failed; streams stay open and are rechecked at the next interval');
      failing = true;
      return undefined;
    }
  };

  const release = (subject: string, entry: Subject, stream: RecheckedStream): void => {
    if (!entry.streams.delete(stream) || entry.streams.size > 0) return;
    clearTimeout(entry.timer);
    if (subjects.get(subject) === entry) subjects.delete(subject);
  };

  const check = async (subject: string, entry: Subject): Promise<void> => {
    entry.timer = undefined;
    const households = await lookup(subject);
    try {
      // Streams that closed while the lookup was out have left `entry.streams` already.
      for (const stream of [...entry.streams]) {
        if (households === undefined || households.has(stream.householdId)) continue;
        release(subject, entry, stream);
        stream.end();
      }
    } finally {
      if (subjects.get(subject) === entry) schedule(subject, entry, options.intervalMs * (1 - JITTER * random()));
    }
  };

  const schedule = (subject: string, entry: Subject, delayMs: number): void => {
    entry.timer = setTimeout(() => {
      check(subject, entry).catch((err: unknown) => options.log.warn({ err }, 'ending a live stream failed'));
    }, delayMs);
    entry.timer.unref();
  };

  return {
    watch(stream) {
      let entry = subjects.get(stream.subject);
      if (entry === undefined) {
        entry = { streams: new Set() };
        subjects.set(stream.subject, entry);
        schedule(stream.subject, entry, options.intervalMs * (1 - random()));
      }
      entry.streams.add(stream);
      const current = entry;
      return () => release(stream.subject, current, stream);
    },
    subjects: () => subjects.size,
  };
}
