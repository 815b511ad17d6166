// Group commit: items that arrive while a commit is under way wait and go together into the next
// one, so a stream of small appends costs one transaction (and one fsync) per group rather than
// one per append. Pure scheduling; what a commit does is the caller's.
export interface GroupCommit<T> {
  /** Resolves once a commit containing `item` has completed; rejects if that commit failed. */
  add(item: T): Promise<void>;
}

export interface GroupCommitOptions {
  /**
   * When the first commit of an idle period starts. Default setImmediate: after the current
   * event-loop turn, so the items of one socket read go into the same group.
   */
  readonly schedule?: (start: () => void) => void;
}

export function createGroupCommit<T>(commit: (group: readonly T[]) => Promise<void>, options: GroupCommitOptions = {}): GroupCommit<T> {
  const schedule = options.schedule ?? ((start: () => void) => void setImmediate(start));
  interface Waiting {
    readonly item: T;
    readonly resolve: () => void;
    readonly reject: (err: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let running = false;

  async function run(): Promise<void> {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await commit(group.map((w) => w.item));
        for (const w of group) w.resolve();
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    running = false;
  }

  return {
    add(item) {
      const done = new Promise<void>((resolve, reject) => waiting.push({ item, resolve, reject }));
      if (!running) {
        running = true;
        schedule(() => void run());
      }
      return done;
    },
  };
}
