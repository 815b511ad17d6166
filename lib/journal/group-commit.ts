// Group commit: items that arrive while a commit is under way wait and go together into the next
// one, so a stream of small appends costs one transaction (and one fsync) per group rather than
// one per append. Pure scheduling; what a commit does is the caller's.
export interface GroupCommit<T, R> {
  /** Resolves with the commit's result for `item` once that commit has completed; rejects if it failed. */
  add(item: T): Promise<R>;
}

export interface GroupCommitOptions {
  /**
   * When the first commit of an idle period starts. Default setImmediate: after the current
   * event-loop turn, so the items of one socket read go into the same group.
   */
  readonly schedule?: (start: () => void) => void;
}

/** `commit` resolves with one result per item of its group, in the group's order. */
export function createGroupCommit<T, R>(
  commit: (group: readonly T[]) => Promise<readonly R[]>,
  options: GroupCommitOptions = {},
): GroupCommit<T, R> {
  const schedule = options.schedule ?? ((start: () => void) => void setImmediate(start));
  interface Waiting {
    readonly item: T;
    readonly resolve: (result: R) => void;
    readonly reject: (err: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let running = false;

  async function run(): Promise<void> {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        const results = await commit(group.map((w) => w.item));
        if (results.length !== group.length) throw new Error(`group commit returned ${results.length} results for ${group.length} items`);
        group.forEach((w, i) => w.resolve(results[i] as R));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    running = false;
  }

  return {
    add(item) {
      const done = new Promise<R>((resolve, reject) => waiting.push({ item, resolve, reject }));
      if (!running) {
        running = true;
        schedule(() => void run());
      }
      return done;
    },
  };
}
