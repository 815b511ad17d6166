// The read service's error catalogue: stable codes and statuses (docs: services/read/README.md).
// Adapter failures are translated here, so every route answers them the same way.
import { TokenRejectedError } from '../../../lib/auth/principal.js';
import { HTTP_APP_ERRORS } from '../../../lib/http/framework-errors.js';
import { HttpError } from '../../../lib/http/http-app.js';
import { CatalogUnavailableError } from '../household-catalog.js';
import { InfluxUnavailableError } from '../influx/influx-client.js';

export const RETRY_AFTER_S = '5';

/** This service's codes, and those lib/http answers with by itself (bad query, unknown route, …). */
export const ERROR_CODES = {
  ...HTTP_APP_ERRORS,
  unauthenticated: 401,
  forbidden: 403,
  'household-not-found': 404,
  'device-not-found': 404,
  'invalid-range': 400,
  'invalid-resolution': 400,
  'influxdb-unavailable': 503,
  'postgres-unavailable': 503,
  'auth-unavailable': 503,
  'live-unavailable': 503,
  'too-many-streams': 429,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function readError(code: ErrorCode, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(ERROR_CODES[code], code, message, headers);
}

/** Maps what an adapter threw to the API's answer; anything else passes through (500). */
export function translateError(err: unknown): unknown {
  if (err instanceof InfluxUnavailableError) {
    return readError('influxdb-unavailable', `InfluxDB is unavailable; retry later (${err.message})`, { 'retry-after': RETRY_AFTER_S });
  }
  if (err instanceof CatalogUnavailableError) return readError('postgres-unavailable', 'PostgreSQL is unavailable; retry later', { 'retry-after': RETRY_AFTER_S });
  if (err instanceof TokenRejectedError && err.reason === 'jwks-unavailable') {
    return readError('auth-unavailable', "the token issuer's keys cannot be loaded; retry later", { 'retry-after': RETRY_AFTER_S });
  }
  return err;
}

/** Runs a handler body and translates adapter failures. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translateError(err);
  }
}
