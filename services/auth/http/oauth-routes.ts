// POST /oauth/token (RFC 6749 §4.4): form-encoded body; the client authenticates with HTTP Basic
// (client_secret_basic, §2.3.1) or client_id/client_secret in the body (client_secret_post).
// Form bodies are parsed only inside this plugin: JSON endpoints must not accept HTML-form posts.
// Id and secret, from either place, are text PostgreSQL can store (lib/http/storable-text.ts), or
// 400 before any lookup or audit record: the failed attempt's record holds the id.
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpApp } from '../../../lib/http/http-app.js';
import { isStorableText, STORABLE_TEXT_MESSAGE, storableText } from '../../../lib/http/storable-text.js';
import type { AuthContext } from '../auth-context.js';
import { authError } from '../errors.js';
import { issueServiceToken } from '../use-cases/client-credentials.js';
import { clientAddress, noStore } from './route-helpers.js';

const tokenBody = z.object({
  grant_type: z.string().max(64),
  scope: z.string().max(512).optional(),
  client_id: storableText(z.string().max(128)).optional(),
  client_secret: storableText(z.string().max(512)).optional(),
});

/**
 * RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64. Undefined without a Basic
 * header one can read; 400 invalid-request when either holds text PostgreSQL cannot store.
 */
function basicCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(request.headers.authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unform = (s: string): string => decodeURIComponent(s.replaceAll('+', ' '));
  let credentials: { id: string; secret: string };
  try {
    credentials = { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
  if (!isStorableText(credentials.id) || !isStorableText(credentials.secret)) {
    const message = `client id and secret ${STORABLE_TEXT_MESSAGE}`;
    throw authError('invalid-request', `headers.authorization: ${message}`, {}, [{ where: 'headers', path: 'authorization', message }]);
  }
  return credentials;
}

export async function registerOauthRoutes(app: HttpApp, ctx: AuthContext): Promise<void> {
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/oauth/token',
      { schema: { summary: 'OAuth2 token endpoint: client_credentials grant for service clients.', body: tokenBody } },
      async (request, reply) => {
        noStore(reply);
        if (request.body.grant_type !== 'client_credentials') throw authError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
        const basic = basicCredentials(request);
        const clientId = basic?.id ?? request.body.client_id;
        const clientSecret = basic?.secret ?? request.body.client_secret;
        if (clientId === undefined || clientSecret === undefined) {
          throw authError('invalid_client', 'client authentication is required', { 'www-authenticate': 'Basic realm="energymonitor"' });
        }
        return issueServiceToken(ctx, { clientId, clientSecret, scope: request.body.scope }, clientAddress(request));
      },
    );
    done();
  });
}
