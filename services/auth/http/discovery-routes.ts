// JWKS (RFC 7517), OpenID Connect Discovery 1.0 / RFC 8414 metadata, liveness and readiness.
import type { HttpApp } from '../../../lib/http/http-app.js';
import type { AuthContext } from '../auth-context.js';
import { SIGNING_ALGORITHM } from '../domain/signing-keys.js';
import { DATABASE_RETRY_AFTER_S } from '../errors.js';

export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/oauth/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: ['readings:subscribe-all'],
    // We issue access tokens only (no authorization endpoint, no id tokens); these name the
    // signing algorithm of every token so OIDC libraries that require the fields accept the document.
    response_types_supported: [],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    token_endpoint_auth_signing_alg_values_supported: [SIGNING_ALGORITHM],
  };
}

export function registerDiscoveryRoutes(app: HttpApp, ctx: AuthContext): void {
  app.get('/.well-known/jwks.json', { schema: { summary: 'Public keys that verify our access tokens.' } }, async (_request, reply) => {
    // Short cache: a rotated key reaches verifiers quickly; an unknown kid makes them refetch anyway.
    void reply.header('cache-control', 'public, max-age=300');
    return { keys: await ctx.tokens.publicKeys() };
  });
  const metadata = discoveryDocument(ctx.config.issuer);
  app.get('/.well-known/openid-configuration', { schema: { summary: 'OpenID Connect discovery.' } }, () => metadata);
  app.get('/.well-known/oauth-authorization-server', { schema: { summary: 'RFC 8414 metadata.' } }, () => metadata);

  app.get('/healthz', { schema: { summary: 'Alive.' } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Ready when PostgreSQL answers.' } }, async (_request, reply) => {
    if (await ctx.db.ping()) return { status: 'ready' };
    return reply
      .status(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_S))
      .send({ error: 'database-unavailable', message: 'PostgreSQL does not answer' });
  });
}
