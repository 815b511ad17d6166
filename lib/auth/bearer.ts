// Strict `Authorization: Bearer <token>` parsing (RFC 6750 §2.1). The scheme is case-insensitive
// (RFC 9110 §11.1); exactly one space; the token is b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" /
// "~" / "+" / "/" ) *"=". Anything else — a missing header, another scheme, two tokens, a token with
// spaces or commas — is not a bearer credential and yields undefined.

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export function parseBearer(authorization: string | readonly string[] | undefined): string | undefined {
  // Node joins repeated headers into an array for a few names only; two Authorization values are ambiguous.
  if (typeof authorization !== 'string') return undefined;
  return BEARER.exec(authorization)?.[1];
}
