// The login session in the page: the access token is kept in memory only; the refresh token is an
// HttpOnly cookie the web server manages (web/server/session-routes.ts). The token is renewed a
// little before it expires, and on demand when a call was refused with 401. Only a definite answer
// (401/400: no or a spent session) ends the session; a service that cannot answer (network, 5xx)
// leaves it as it was and is asked again with backoff, as the cookie may well still be good.
import { ApiError, errorFromResponse, networkError } from './api-error';

/** `unreachable`: at start, the server could not say whether the cookie holds a session. */
export type SessionStatus = 'unknown' | 'unreachable' | 'anonymous' | 'authenticated';
type Listener = (status: SessionStatus) => void;

interface TokenAnswer {
  accessToken: string;
  expiresInS: number;
}

/** Renew when this share of the token's life has passed. */
const RENEW_AT = 0.8;
/** Retries after a failed renewal: 5 s, doubling, at most a minute apart. */
const RETRY_FIRST_S = 5;
const RETRY_MAX_S = 60;

/** Answers that say the session is over, as opposed to a server that could not answer. */
function endsSession(error: ApiError): boolean {
  return error.status === 401 || error.status === 400;
}

export function retryDelayS(failures: number): number {
  return Math.min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** Math.max(0, failures - 1));
}

export class Session {
  private accessToken: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  private failures = 0;
  private lastProblem: ApiError | undefined;
  private readonly listeners = new Set<Listener>();
  status: SessionStatus = 'unknown';

  constructor(private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init)) {}

  token(): string | undefined {
    return this.accessToken;
  }

  /** Why the last renewal failed without ending the session (none once one succeeds). */
  get problem(): ApiError | undefined {
    return this.lastProblem;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<void> {
    const answer = await this.post('/api/session/login', { email, password });
    if (answer instanceof ApiError) throw answer;
    this.accept(answer);
  }

  /** Renews the access token; false when it could not (logged out only on a definite answer). */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.post('/api/session/refresh', {})
      .then((answer) => {
        if (!(answer instanceof ApiError)) {
          this.accept(answer);
          return true;
        }
        if (endsSession(answer)) this.end();
        else this.retryLater(answer);
        return false;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /** Ends the session on the server; throws (and stays logged in) unless the server confirmed it. */
  async logout(): Promise<void> {
    // Only the web server's 2xx says the cookie was cleared: after a network error or a 5xx the
    // cookie still holds the session, and a reload would log in again (a shared phone).
    const answer = await this.post('/api/session/logout', {});
    if (answer instanceof ApiError) throw answer;
    this.end();
  }

  /** Forgets the session locally (e.g. the server refused the renewed token too). */
  end(): void {
    this.accessToken = undefined;
    this.failures = 0;
    this.lastProblem = undefined;
    clearTimeout(this.timer);
    this.setStatus('anonymous');
  }

  private accept(answer: TokenAnswer): void {
    this.accessToken = answer.accessToken;
    this.failures = 0;
    this.lastProblem = undefined;
    this.schedule(answer.expiresInS * RENEW_AT);
    this.setStatus('authenticated');
  }

  private retryLater(problem: ApiError): void {
    // Logged out already (a call made from the login page): there is no session to keep.
    if (this.status === 'anonymous') return;
    this.failures += 1;
    this.lastProblem = problem;
    this.schedule(retryDelayS(this.failures));
    if (this.status === 'authenticated') return;
    // Listeners hear of each failed attempt, so a page can show the latest reason.
    if (this.status === 'unreachable') this.notify();
    else this.setStatus('unreachable');
  }

  private schedule(seconds: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(5, seconds) * 1000);
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.status);
  }

  private async post(path: string, body: unknown): Promise<TokenAnswer | ApiError> {
    let response: Response;
    try {
      response = await this.fetchFn(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    } catch (err) {
      return networkError(err);
    }
    if (!response.ok) return errorFromResponse(response);
    if (response.status === 204) return { accessToken: '', expiresInS: 0 };
    try {
      return (await response.json()) as TokenAnswer;
    } catch {
      // A 200 that is not our JSON (a proxy's page): the server did not really answer.
      return new ApiError(502, 'bad-answer', 'The server sent an answer the app cannot read.');
    }
  }
}
