// A body over its route's limit gets its 413 every time, however large. Answered and cut off at
// once (Fastify's way), the client may still be writing its body when the connection closes: the
// unread bytes make our side reset it, and the client (curl: "Send failure: Broken pipe") loses
// the answer — one in about forty 3 MB posts, more at 30 MB. So:
// - With `Expect: 100-continue` (curl sends it over 1 MiB) and a Content-Length over the limit,
//   no 100 Continue: the 413 comes first and the client never sends the body (RFC 9110 §10.1.1).
// - Otherwise the rest of the body is read and dropped after the 413, for at most DRAIN_MS (as
//   nginx's lingering close), and the connection stays usable.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How long the rest of a refused body may take to arrive before the connection is cut. */
const DRAIN_MS = 30_000;

const expectsContinue = (request: FastifyRequest): boolean => request.headers.expect?.toLowerCase() === '100-continue';
const declaredOverLimit = (request: FastifyRequest): boolean => Number(request.headers['content-length']) > request.routeOptions.bodyLimit;

/** 100 Continue only once the route is known and its limit allows the declared body. */
export function continueOnlyWhenBodyFits(app: FastifyInstance): void {
  // With a listener here Node no longer answers 100 Continue itself, before any route is known.
  app.server.on('checkContinue', (req, res) => app.server.emit('request', req, res));
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (expectsContinue(request) && !declaredOverLimit(request)) reply.raw.writeContinue();
    done(null, payload);
  });
}

/** The 413, in our error format, naming the route's limit. */
export function sendBodyTooLarge(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // The client holds back a body we declined to continue: nothing to drain, close as Fastify does.
  if (!(expectsContinue(request) && declaredOverLimit(request))) drainRestOfBody(request, reply);
  return reply.status(413).send({ error: 'body-too-large', message: `request body exceeds ${request.routeOptions.bodyLimit} bytes` });
}

function drainRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  // Fastify asked for `Connection: close`; kept alive, Node reads the body to its end and drops it.
  reply.removeHeader('connection');
  const raw = request.raw;
  if (raw.complete) return;
  raw.resume();
  const cut = setTimeout(() => raw.socket.destroy(), DRAIN_MS);
  cut.unref();
  raw.once('end', () => clearTimeout(cut));
  raw.once('close', () => clearTimeout(cut));
}
