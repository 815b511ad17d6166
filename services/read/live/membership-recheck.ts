// While a live stream is open, its viewer must still be a member of the household: the stream was
// authorised once, when it opened, and a member removed since (an ex-partner, a tenant who moved
// out) would otherwise keep watching. The households of each subject with an open stream are asked
// of the membership directory (PostgreSQL) at most `intervalMs` apart — once per subject, however
// many streams it has open, spread over the interval, one lookup in flight per subject, a failure
// logged once per run (lib/auth/membership-watch.ts) — and the streams of households no longer
// among them are ended. A lookup that fails keeps the streams open: the next one decides.
import type { MembershipDirectory } from '../../../lib/auth/directory.js';
import { createMembershipWatch } from '../../../lib/auth/membership-watch.js';
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

export function createMembershipRecheck(options: MembershipRecheckOptions): MembershipRecheck {
  /**
   * The open streams of each watched subject: the function that stops watching it for that stream,
   * and when the stream was authorised (the watch's mark()). An answer to a question asked before
   * that cannot know of a household joined since, so it does not end the stream; the next one does.
   */
  const streamsOf = new Map<string, Map<RecheckedStream, { readonly unwatch: () => void; readonly openedAt: number }>>();

  const release = (stream: RecheckedStream): boolean => {
    const streams = streamsOf.get(stream.subject);
    const watched = streams?.get(stream);
    if (streams === undefined || watched === undefined) return false;
    streams.delete(stream);
    if (streams.size === 0) streamsOf.delete(stream.subject);
    watched.unwatch();
    return true;
  };
  const endLost = (subject: string, households: ReadonlySet<string>, askedAt: number): void => {
    for (const [stream, { openedAt }] of [...(streamsOf.get(subject) ?? [])]) {
      if (openedAt < askedAt && !households.has(stream.householdId) && release(stream)) stream.end();
    }
  };
  const watch = createMembershipWatch({
    memberships: options.memberships,
    intervalMs: options.intervalMs,
    onHouseholds: endLost,
    log: options.log,
    messages: {
      failing: 'membership recheck of live streams failed; streams stay open and are rechecked at the next interval',
      working: 'membership recheck of live streams works again',
    },
    random: options.random,
  });

  return {
    watch(stream) {
      const streams = streamsOf.get(stream.subject) ?? new Map<RecheckedStream, { readonly unwatch: () => void; readonly openedAt: number }>();
      streamsOf.set(stream.subject, streams);
      if (!streams.has(stream)) streams.set(stream, { unwatch: watch.watch(stream.subject), openedAt: watch.mark() });
      return () => void release(stream);
    },
    subjects: () => watch.subjects(),
  };
}
