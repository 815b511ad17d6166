// The headers the API proxy sends a service. The per-hop ones describe only the browser's
// connection to us (RFC 9110 §7.6.1) and undici, which makes the upstream request, throws on most
// of them ("expect header not supported", "invalid keep-alive header", …): forwarded, each turned a
// working request into a 503 "cannot be reached". @fastify/reply-from already drops Connection and
// the headers it names; the rest are dropped here.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Expect: we answer `100-continue` to the client (oversized-bodies.ts), and the body reaches us whole before
 * we forward it. Transfer-Encoding: undici frames the body it sends. Upgrade: we proxy HTTP only.
 */
const PER_HOP_HEADERS: readonly string[] = ['connection', 'proxy-connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect'];

/**
 * `headers` (lower-case names, as Node gives them) without the per-hop ones, and X-Forwarded-For
 * the browser's address alone: any value the browser sent is replaced, never appended to, since
 * the auth service throttles per address (web/README.md).
 */
export function upstreamRequestHeaders(headers: Readonly<IncomingHttpHeaders>, clientAddress: string): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!PER_HOP_HEADERS.includes(name)) kept[name] = value;
  kept['x-forwarded-for'] = clientAddress;
  return kept;
}
