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

/**
 * An error as the page shows it. The services' 400s name fields as the request has them
 * ("body.email: Invalid email address; body.timeZone: timeZone must be …"): here they read as
 * the form does. The ApiError keeps the service's words (a form may place them by field).
 */
export function messageOf(err: unknown): string {
  return err instanceof Error ? humanMessage(err.message) : String(err);
}

/** Field names of our APIs as the forms label them; others are spelled out from camelCase. */
const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  displayName: 'Your name',
  name: 'Name',
  timeZone: 'Time zone',
  token: 'Invitation code',
  url: 'URL',
  pricePerKwh: 'Price per kWh',
  currency: 'Currency',
};

/** `where[.path]: message` — one item of lib/http's validation summary (where: body, querystring, params, headers). */
const VALIDATION_ITEM = /^(?:body|querystring|params|headers)(?:\.([\w.]+))?: (.+)$/s;

export function humanMessage(message: string): string {
  return message
    .split('; ')
    .map((part) => {
      const match = VALIDATION_ITEM.exec(part);
      if (match === null) return part;
      const [, path, text = ''] = match;
      const field = path?.split('.').filter((segment) => !/^\d+$/.test(segment)).at(-1);
      if (field === undefined) return text;
      const label = FIELD_LABELS[field] ?? spelledOut(field);
      // "timeZone must be an IANA time zone …": the field already leads the sentence.
      if (text.startsWith(`${field} `)) return `${label}${text.slice(field.length)}`;
      return `${label}: ${text}`;
    })
    .join('; ');
}

function spelledOut(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
