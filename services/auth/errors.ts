// The auth service's error catalogue: every `error` code a client can see, its HTTP status and what
// it means. services/auth/README.md documents each one (test/error-catalogue.test.ts checks).
// Codes lib/http answers with by itself (HTTP_APP_ERRORS: invalid-request, not-found, body-too-large,
// unsupported-media-type, internal) are listed too, so the README is the one place a client developer reads.
import { HttpError } from '../../lib/http/http-app.js';

export const ERRORS = {
  'invalid-request': {
    status: 400,
    meaning: 'the body, query or path failed validation (`details` names each field), or the body is not JSON, is empty although declared JSON, or holds a `__proto__` key',
  },
  'body-too-large': { status: 413, meaning: 'the request body exceeds EM_AUTH_BODY_LIMIT_BYTES' },
  'unsupported-media-type': { status: 415, meaning: 'the endpoint does not take this content-type (JSON everywhere, form-encoded at /oauth/token)' },
  'not-found': { status: 404, meaning: 'no such route, or no such agent/member/invitation in a household you may see' },
  internal: { status: 500, meaning: 'a bug; the message names the request id to find in the log' },
  'invalid-credentials': { status: 401, meaning: 'email or password wrong (never says which)' },
  unauthenticated: { status: 401, meaning: 'no valid bearer access token: missing, malformed, expired, wrong issuer/audience/typ, bad signature' },
  'invalid-refresh-token': { status: 401, meaning: 'the refresh token is unknown, expired or revoked' },
  'token-reuse-detected': { status: 401, meaning: 'a refresh token was used twice; its whole session family is now revoked' },
  forbidden: { status: 403, meaning: "authenticated but not allowed: not a member of the household, not its owner, not a person, or the shared demo account's password" },
  throttled: { status: 429, meaning: 'too many failed logins for this account or address; retry after `Retry-After` seconds' },
  'database-unavailable': { status: 503, meaning: 'PostgreSQL cannot be reached; retry after `Retry-After` seconds' },
  'invitation-invalid': { status: 400, meaning: 'the invitation token is unknown, expired, already used, or for another email' },
  'already-member': { status: 409, meaning: 'the user already belongs to the household' },
  'last-owner': { status: 409, meaning: 'the only owner cannot leave or be removed' },
  'quota-exceeded': {
    status: 409,
    meaning: 'a quota is met: households a user owns, active agents or agents registered in 24 hours, members or open invitations of a household; `details` is `[{quota, limit}]`. Nothing was written',
  },
  invalid_client: { status: 401, meaning: 'OAuth2 (RFC 6749 §5.2): client authentication failed' },
  unsupported_grant_type: { status: 400, meaning: 'OAuth2 (RFC 6749 §5.2): only client_credentials is supported' },
  invalid_scope: { status: 400, meaning: 'OAuth2 (RFC 6749 §5.2): a requested scope is not granted to this client' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An HttpError with the catalogue's status for `code`. */
export function authError(code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}, details?: readonly unknown[]): HttpError {
  return new HttpError(ERRORS[code].status, code, message, headers, details);
}

export const DATABASE_RETRY_AFTER_S = 5;

export function databaseUnavailable(): HttpError {
  return authError('database-unavailable', 'the account database cannot be reached; try again shortly', {
    'retry-after': String(DATABASE_RETRY_AFTER_S),
  });
}
