// /api/session/{login,refresh,logout}: the browser's side of the auth service's token endpoints.
// The auth service hands out refresh tokens in JSON bodies; here they move into an HttpOnly cookie
// and the page only receives the access token and its lifetime.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clearedCookie, readRefreshCookie, refreshCookie } from './session-cookie.js';

const tokenResponse = z.object({
  access_token: z.string(),
  expires_in: z.number(),
  refresh_token: z.string(),
  refresh_token_expires_in: z.number(),
});

const loginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

export interface SessionRouteOptions {
  readonly authUrl: string;
  readonly secureCookie: boolean;
}

interface Upstream {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfter: string | null;
}

export function registerSessionRoutes(app: FastifyInstance, options: SessionRouteOptions): void {
  const call = async (request: FastifyRequest, path: string, body: unknown): Promise<Upstream> => {
    const response = await fetch(`${options.authUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': request.ip },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: await jsonOrNothing(response), retryAfter: response.headers.get('retry-after') };
  };

  const answer = (reply: FastifyReply, upstream: Upstream): FastifyReply => {
    const tokens = tokenResponse.safeParse(upstream.body);
    if (upstream.status !== 200 || !tokens.success) {
      if (upstream.status === 401) void reply.header('set-cookie', clearedCookie(options.secureCookie));
      if (upstream.retryAfter !== null) void reply.header('retry-after', upstream.retryAfter);
      return reply.status(upstream.status === 200 ? 502 : upstream.status).send(upstream.body ?? { error: 'upstream', message: 'the auth service sent no answer' });
    }
    void reply.header('set-cookie', refreshCookie(tokens.data.refresh_token, tokens.data.refresh_token_expires_in, options.secureCookie));
    return reply.send({ accessToken: tokens.data.access_token, expiresInS: tokens.data.expires_in });
  };

  // A JSON content type cannot be sent cross-site without a CORS preflight, which we never
  // answer: together with SameSite=Strict that keeps other origins from driving these routes.
  const jsonOnly = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      await reply.status(415).send({ error: 'unsupported-media-type', message: 'send application/json' });
    }
  };

  // Answers carry the access token (and set the refresh cookie): no cache, shared or private, may keep them.
  const noStore = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    void reply.header('cache-control', 'no-store');
  };

  app.post('/api/session/login', { preHandler: jsonOnly, onSend: noStore }, async (request, reply) => {
    const body = loginBody.safeParse(request.body);
    if (!body.success) return reply.status(400).send({ error: 'invalid-request', message: 'email and password are required' });
    return answer(reply, await call(request, '/v1/auth/login', body.data));
  });

  app.post('/api/session/refresh', { preHandler: jsonOnly, onSend: noStore }, async (request, reply) => {
    const token = readRefreshCookie(request.headers.cookie);
    if (token === undefined) return reply.status(401).send({ error: 'no-session', message: 'not logged in' });
    return answer(reply, await call(request, '/v1/auth/refresh', { refresh_token: token }));
  });

  app.post('/api/session/logout', { preHandler: jsonOnly, onSend: noStore }, async (request, reply) => {
    const token = readRefreshCookie(request.headers.cookie);
    if (token !== undefined) await call(request, '/v1/auth/logout', { refresh_token: token }).catch(() => undefined);
    return reply.header('set-cookie', clearedCookie(options.secureCookie)).status(204).send();
  });
}

/** The body as JSON; undefined when empty or not JSON (a proxy's error page in front of the service). */
async function jsonOrNothing(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
