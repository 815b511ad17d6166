// GET /v1/households/{id}/live: Server-Sent Events with each new container of the household.
// The response is taken over from Fastify (hijack) and written directly, so that the socket's
// buffer is visible (sse-connection.ts) and nothing buffers or compresses the stream.
// Authorised when it opens, a stream is ended by the server when the access token it was opened
// with expires (live/token-expiry.ts) and when its viewer is no longer a member of the household
// (live/membership-recheck.ts; admins are not members and are not rechecked).
import type { Principal } from '../../../lib/auth/principal.js';
import type { HttpApp } from '../../../lib/http/http-app.js';
import { createMembershipRecheck, type MembershipRecheck } from '../live/membership-recheck.js';
import { openSseConnection, responseSink, type SseConnection } from '../live/sse-connection.js';
import { createStreamQuota } from '../live/stream-quota.js';
import { endAtExpiry } from '../live/token-expiry.js';
import { authorizeLiveViewer, isAdmin } from './access.js';
import { readError, RETRY_AFTER_S, translated } from './errors.js';
import type { ReadContext } from './read-context.js';
import { householdParams } from './schemas.js';

export function registerLiveRoute(app: HttpApp, ctx: ReadContext): void {
  const recheck = createMembershipRecheck({ memberships: ctx.memberships, intervalMs: ctx.config.sse.membershipRecheckMs, log: app.log });
  const quota = createStreamQuota(ctx.config.sse.maxStreamsPerViewer);
  app.get(
    '/v1/households/:householdId/live',
    { schema: { security: [{ bearer: [] }], params: householdParams, summary: 'Live readings (text/event-stream): `container` events, `resync` when events were missed; Last-Event-ID resumes' } },
    (request, reply) =>
      translated(async () => {
        const { household, principal } = await authorizeLiveViewer(ctx, request, request.params.householdId);
        const hub = ctx.hub();
        if (hub === undefined) throw readError('live-unavailable', 'the live feed is not connected; retry later', { 'retry-after': RETRY_AFTER_S });
        const release = quota.take(principal.subject);
        if (release === undefined) {
          const max = ctx.config.sse.maxStreamsPerViewer;
          throw readError('too-many-streams', `you have ${max} live streams open, the most allowed; close one (a page or tab) first`, { 'retry-after': RETRY_AFTER_S });
        }
        const lastEventId = request.headers['last-event-id'];
        reply.raw.once('close', release);
        reply.hijack();
        const res = reply.raw;
        res.socket?.setNoDelay(true);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(`retry: 2000\n: watching ${household.id}\n\n`);
        const connection = openSseConnection(responseSink(res), { maxBufferBytes: ctx.config.sse.bufferBytes, heartbeatMs: ctx.config.sse.heartbeatMs, counters: ctx.metrics.sse });
        const unguard = guardStream(connection, principal, household.id, recheck);
        let remove: (() => void) | undefined;
        let closed = false;
        res.on('close', () => {
          closed = true;
          unguard();
          connection.close();
          remove?.();
        });
        try {
          remove = await hub.watch(household.id, connection, typeof lastEventId === 'string' ? lastEventId : undefined);
          if (closed) remove();
        } catch (err) {
          request.log.warn({ err }, 'live subscription failed');
          connection.close();
        }
      }),
  );
}

/** Ends the stream when the caller's token expires or its membership ends; returns the cancellation. */
function guardStream(connection: SseConnection, principal: Principal, householdId: string, recheck: MembershipRecheck): () => void {
  const cancelExpiry = endAtExpiry(principal.expiresAtS, () => connection.end('token-expired'));
  const cancelRecheck = isAdmin(principal) ? undefined : recheck.watch({ subject: principal.subject, householdId, end: () => connection.end('membership-ended') });
  return () => {
    cancelExpiry();
    cancelRecheck?.();
  };
}
