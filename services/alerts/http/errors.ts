// The alerts API's error catalogue: stable codes and statuses (documented in ../README.md).
import { TokenRejectedError } from '../../../lib/auth/principal.js';
import { HttpError } from '../../../lib/http/http-app.js';
import { StoreUnavailableError } from '../data/store-errors.js';

export const RETRY_AFTER_S = '5';

export const ERROR_CODES = {
  // Also the answer of schema validation (lib/http/http-app.ts); thrown here for checks that need the config.
  'invalid-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'household-not-found': 404,
  'rule-not-found': 404,
  'webhook-not-configured': 404,
  'too-many-rules': 409,
  'postgres-unavailable': 503,
  'auth-unavailable': 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function alertsError(code: ErrorCode, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(ERROR_CODES[code], code, message, headers);
}

/** Maps what an adapter threw to the API's answer; anything else passes through (500). */
export function translateError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return alertsError('postgres-unavailable', 'PostgreSQL is unavailable; retry later', { 'retry-after': RETRY_AFTER_S });
  if (err instanceof TokenRejectedError && err.reason === 'jwks-unavailable') {
    return alertsError('auth-unavailable', "the token issuer's keys cannot be loaded; retry later", { 'retry-after': RETRY_AFTER_S });
  }
  return err;
}

export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translateError(err);
  }
}
