// Shares one Prometheus answer among the callers of the next few seconds: every open operator
// page refreshes every 15 s, and several tabs or admins must not multiply the range queries.
// A failed answer is not kept, so the next caller tries again.

export interface RecentAnswers<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
}

export function createRecentAnswers<T>(ttlMs: number, now: () => number = Date.now): RecentAnswers<T> {
  const entries = new Map<string, { readonly atMs: number; readonly answer: Promise<T> }>();
  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry !== undefined && now() - entry.atMs < ttlMs) return entry.answer;
      const answer = load();
      entries.set(key, { atMs: now(), answer });
      answer.catch(() => {
        if (entries.get(key)?.answer === answer) entries.delete(key);
      });
      return answer;
    },
  };
}
