// One webhook POST: signed body, bounded by a timeout, redirects not followed (a receiver must name
// its final URL; following them would let a URL bounce requests elsewhere).
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';

export type DeliveryOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string; readonly permanent: boolean };

export interface DeliveryRequest {
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly body: string;
  readonly timeoutMs: number;
}

export async function deliverWebhook(request: DeliveryRequest): Promise<DeliveryOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, error: 'not a URL', permanent: true };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'only http and https URLs', permanent: true };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'energymonitor-alerts/1',
        [EVENT_ID_HEADER]: request.eventId,
        [SIGNATURE_HEADER]: signBody(request.secret, request.body),
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}`, permanent: false };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, error: timedOut ? `no answer within ${request.timeoutMs} ms` : describe(err), permanent: false };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** Exponential backoff with full jitter, capped: attempt 1 waits up to base, then 2×, 4×, … */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
