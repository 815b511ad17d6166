// The household's live feed (GET /v1/households/{id}/live on the read service) as callbacks:
// containers as they arrive, `resync` when events were missed, and the connection state. It
// reconnects by itself (with Last-Event-ID, so nothing is missed while the server still has it).
import { messageOf } from './api-error';
import type { ApiClient } from './client';
import { SseParser } from './sse-parser';
import type { LiveContainer } from './types';

export type LiveState = 'connecting' | 'open' | 'reconnecting';

export interface LiveHandlers {
  onContainer(container: LiveContainer): void;
  onResync(): void;
  onState(state: LiveState, detail?: string): void;
}

const MAX_DELAY_MS = 30_000;

export function openLiveStream(client: ApiClient, householdId: string, handlers: LiveHandlers): () => void {
  const abort = new AbortController();
  let lastEventId: string | undefined;
  let failures = 0;
  let serverRetryMs = 2000;

  const readOnce = async (): Promise<void> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await client.send('/api/read', `/v1/households/${encodeURIComponent(householdId)}/live`, { headers, signal: abort.signal });
    if (response.body === null) throw new Error('the live stream has no body');
    handlers.onState('open');
    failures = 0;
    const parser = new SseParser((event) => {
      if (event.event === 'container') handlers.onContainer(JSON.parse(event.data) as LiveContainer);
      else if (event.event === 'resync') handlers.onResync();
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(value);
      lastEventId = parser.lastEventId ?? lastEventId;
      serverRetryMs = parser.retryMs ?? serverRetryMs;
    }
  };

  const run = async (): Promise<void> => {
    handlers.onState('connecting');
    while (!abort.signal.aborted) {
      let detail: string | undefined;
      try {
        await readOnce();
      } catch (err) {
        if (abort.signal.aborted) return;
        detail = messageOf(err);
        failures += 1;
      }
      if (abort.signal.aborted || client.session.status === 'anonymous') return;
      handlers.onState('reconnecting', detail);
      const delay = Math.min(MAX_DELAY_MS, serverRetryMs * 2 ** Math.min(failures, 4));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  void run();
  return () => abort.abort();
}
