// Calls to the APIs behind the web server, with the session's bearer token. A 401 renews the
// token once and repeats the call; a second 401 ends the session. A 401 for a password in the
// request (a wrong current password when changing it) is not about the token: it is the answer.
// A renewal the server could not answer (auth down) ends nothing: the call fails with that reason.
import { ApiError, errorFromResponse, networkError } from './api-error';
import type { Session } from './session';

export type ApiBase = '/api/auth' | '/api/read' | '/api/alerts' | '/api/operator';

export class ApiClient {
  constructor(
    readonly session: Session,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async json<T>(base: ApiBase, path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(base, path, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async blob(base: ApiBase, path: string): Promise<Blob> {
    return (await this.send(base, path, {})).blob();
  }

  /** The raw response of an authorised call, for streams; throws ApiError when not 2xx. */
  async send(base: ApiBase, path: string, init: RequestInit): Promise<Response> {
    let response = await this.attempt(base, path, init);
    if (response.status === 401 && !(await refusesPassword(response))) {
      if (await this.session.refresh()) response = await this.attempt(base, path, init);
      else if (this.session.status !== 'anonymous' && this.session.problem !== undefined) throw this.session.problem;
      if (response.status === 401) this.session.end();
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  private async attempt(base: ApiBase, path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = this.session.token();
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    try {
      return await this.fetchFn(`${base}${path}`, { ...init, headers });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw networkError(err);
    }
  }
}

/** The auth service's 401 `invalid-credentials`: a password in the body was wrong, the token was fine. */
async function refusesPassword(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return body.error === 'invalid-credentials';
  } catch {
    return false;
  }
}

export function jsonBody(value: unknown): RequestInit['body'] {
  return JSON.stringify(value);
}

export { ApiError };
