// Small helpers the routes share.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The client address for audit and throttling (X-Forwarded-For only with EM_AUTH_TRUST_PROXY). */
export const clientAddress = (request: FastifyRequest): string => request.ip;

/** RFC 6749 §5.1: responses carrying tokens or secrets must not be cached. */
export function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}
