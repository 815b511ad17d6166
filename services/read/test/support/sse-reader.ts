// A minimal EventSource for tests: reads a text/event-stream response and hands out parsed events
// (WHATWG HTML §9.2.6 field rules, enough for what the read service sends).
export interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

export interface SseReader {
  readonly status: number;
  /** Resolves with the next event matching `accept` (default: any non-comment event). */
  next(accept?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Comment lines seen so far (heartbeats). */
  comments(): number;
  /** Whether the server has ended the response body (not the test's own close). */
  ended(): boolean;
  /** Resolves when the server ends the response body; rejects after `timeoutMs`. */
  end(timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const queue: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let comments = 0;
  let ended = false;
  let buffer = '';
  const pump = async (): Promise<void> => {
    if (response.body === null) return;
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = { event: 'message', data: [] as string[], id: undefined as string | undefined };
        let isComment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          isComment = false;
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (name === 'event') fields.event = value;
          else if (name === 'data') fields.data.push(value);
          else if (name === 'id') fields.id = value;
        }
        if (isComment) comments += 1;
        else if (fields.data.length > 0) queue.push({ id: fields.id, event: fields.event, data: fields.data.join('\n') });
        for (const wake of waiters.splice(0)) wake();
      }
    }
    ended = true;
    for (const wake of waiters.splice(0)) wake();
  };
  if (response.status === 200) pump().catch(() => undefined);
  const wait = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    status: response.status,
    async next(accept = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex(accept);
        if (index >= 0) return queue.splice(index, 1)[0] as SseEvent;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms`);
        await wait(left);
      }
    },
    comments: () => comments,
    ended: () => ended,
    async end(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ended) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the server did not end the stream within ${timeoutMs} ms`);
        await wait(left);
      }
    },
    close: () => abort.abort(),
  };
}
