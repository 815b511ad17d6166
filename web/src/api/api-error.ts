// One error type for every failed call, with the service's stable code and a message fit to show.
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  details?: unknown;
}

const FALLBACK: Record<number, string> = {
  401: 'Your session has ended. Please log in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  429: 'Too many attempts. Please wait a moment.',
  502: 'The server is not reachable right now.',
  503: 'The service is unavailable right now. Please retry shortly.',
};

export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy's HTML page): the status alone explains it
  }
  const retry = Number(response.headers.get('retry-after'));
  const code = typeof body.error === 'string' ? body.error : `http-${response.status}`;
  const message = typeof body.message === 'string' ? body.message : (FALLBACK[response.status] ?? `Request failed (${response.status}).`);
  return new ApiError(response.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

export function networkError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'network', 'Cannot reach the server. Check your connection and retry.');
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
