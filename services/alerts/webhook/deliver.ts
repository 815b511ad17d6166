// One webhook POST: signed when sent (timestamp and body, signature.ts), bounded by a timeout,
// redirects not followed (a receiver must name its final URL; following them would let a URL
// bounce requests elsewhere), and — unless the deployment allows it — only to public addresses
// (address-filter.ts). node:http rather than fetch, because its `lookup` hook lets the filter see
// the address actually connected to.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockedAddressError, hostRefusal, publicOnlyLookup } from './address-filter.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export type DeliveryOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string; readonly permanent: boolean };

export interface DeliveryRequest {
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly body: string;
  /** When this attempt is sent: the signature's timestamp (each retry is signed afresh). */
  readonly nowMs: number;
  readonly timeoutMs: number;
  /** Allow loopback and private addresses (tests, LAN-only installs). */
  readonly allowPrivate: boolean;
}

export async function deliverWebhook(request: DeliveryRequest): Promise<DeliveryOutcome> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, error: 'not a URL', permanent: true };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: 'only http and https URLs', permanent: true };
  const refusal = request.allowPrivate ? undefined : hostRefusal(url);
  if (refusal !== undefined) return { ok: false, error: refusal, permanent: true };
  const body = Buffer.from(request.body, 'utf8');
  const options: RequestOptions = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': 'energymonitor-alerts/1',
      [EVENT_ID_HEADER]: request.eventId,
      [SIGNATURE_HEADER]: signatureHeader(request.secret, request.body, request.nowMs),
    },
    signal: AbortSignal.timeout(request.timeoutMs),
    ...(request.allowPrivate ? {} : { lookup: publicOnlyLookup }),
  };
  try {
    const response = await post(url, options, body);
    response.resume(); // the answer's body is not needed
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, status, error: `HTTP ${status}`, permanent: false };
  } catch (err) {
    if (err instanceof BlockedAddressError) return { ok: false, error: err.message, permanent: true };
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, error: timedOut ? `no answer within ${request.timeoutMs} ms` : err instanceof Error ? err.message : String(err), permanent: false };
  }
}

function post(url: URL, options: RequestOptions, body: Buffer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** Exponential backoff with full jitter, capped: attempt 1 waits up to base, then 2×, 4×, … */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
