// The refresh token lives in an HttpOnly cookie that only /api/session sees: page scripts never
// hold it (an injected script cannot steal a 30-day session), while the short-lived access token
// stays in the page's memory. SameSite=Strict keeps other sites from sending it.

export const REFRESH_COOKIE = 'em_refresh';
export const COOKIE_PATH = '/api/session';

export function refreshCookie(token: string, maxAgeS: number, secure: boolean): string {
  const parts = [`${REFRESH_COOKIE}=${encodeURIComponent(token)}`, `Path=${COOKIE_PATH}`, `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedCookie(secure: boolean): string {
  return refreshCookie('', 0, secure);
}

/** The refresh token from a Cookie header, if present. */
export function readRefreshCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    try {
      return value === '' ? undefined : decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
