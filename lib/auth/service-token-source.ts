// A service's own access token from the auth service's token endpoint (OAuth2 client_credentials,
// RFC 6749 §4.4), cached until shortly before it expires so callers may ask before every use.
export interface ServiceTokenSourceOptions {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  /** Renew this long before expiry, so a connection made with the token is not refused mid-handshake. */
  readonly renewBeforeMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAtMs: number;
}

export type ServiceTokenSource = () => Promise<string>;

export function createServiceTokenSource(options: ServiceTokenSourceOptions): ServiceTokenSource {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  async function request(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope !== undefined) form.set('scope', options.scope);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64.
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const response = await doFetch(options.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`token endpoint ${options.tokenUrl} answered ${response.status}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') throw new Error(`token endpoint ${options.tokenUrl} answered without access_token/expires_in`);
    cached = { token: body.access_token, expiresAtMs: now() + body.expires_in * 1000 };
    return body.access_token;
  }

  return () => {
    if (cached !== undefined && now() < cached.expiresAtMs - renewBeforeMs) return Promise.resolve(cached.token);
    inFlight ??= request().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
