// How many live streams one viewer (token subject) holds open at once. Each stream is a socket,
// and the read process may hold at most 20,000 open files on this kind of machine: without a
// bound, one account could take every stream the service can serve. A household's phones, tablets
// and a wall display stay far below the default (config.ts).
export interface StreamQuota {
  /** A place for one more stream of `subject`, and how to give it back; undefined when full. */
  take(subject: string): (() => void) | undefined;
}

export function createStreamQuota(maxPerViewer: number): StreamQuota {
  const open = new Map<string, number>();
  return {
    take(subject) {
      const count = open.get(subject) ?? 0;
      if (count >= maxPerViewer) return undefined;
      open.set(subject, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(subject) ?? 1) - 1;
        if (left === 0) open.delete(subject);
        else open.set(subject, left);
      };
    },
  };
}
