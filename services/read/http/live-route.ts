// GET /v1/households/{id}/live: Server-Sent Events with each new container of the household.
// The response is taken over from Fastify (hijack) and written directly, so that the socket's
// buffer is visible (sse-connection.ts) and nothing buffers or compresses the stream.
import type { HttpApp } from '../../../lib/http/http-app.js';
import { openSseConnection, responseSink } from '../live/sse-connection.js';
import { authorizeHousehold } from './access.js';
import { readError, RETRY_AFTER_S, translated } from './errors.js';
import type { ReadContext } from './read-context.js';
import { householdParams } from './schemas.js';

export function registerLiveRoute(app: HttpApp, ctx: ReadContext): void {
  app.get(
    '/v1/households/:householdId/live',
    { schema: { security: [{ bearer: [] }], params: householdParams, summary: 'Live readings (text/event-stream): `container` events, `resync` when events were missed; Last-Event-ID resumes' } },
    (request, reply) =>
      translated(async () => {
        const household = await authorizeHousehold(ctx, request, request.params.householdId);
        const hub = ctx.hub();
        if (hub === undefined) throw readError('live-unavailable', 'the live feed is not connected; retry later', { 'retry-after': RETRY_AFTER_S });
        const lastEventId = request.headers['last-event-id'];
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
        let remove: (() => void) | undefined;
        let closed = false;
        res.on('close', () => {
          closed = true;
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
